import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http.js';
import type { EmulatedFailure, RecordedRequest } from './recorded-request.js';

const BODIES = {
  rate_limit: {
    error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' },
  },
  server_error: { error: { type: 'api_error', message: 'An unknown error occurred (injected by the emulator).' } },
};

/** Answers with `failure` instead of the API; a reset drops the connection with no response at all. */
export function sendInjectedFailure(
  failure: EmulatedFailure,
  record: RecordedRequest,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  record.injected = failure;
  if (failure === 'connection_reset') {
    request.socket.destroy();
    return;
  }
  record.status = failure === 'rate_limit' ? 429 : 500;
  send(response, record.status, JSON.stringify(BODIES[failure]));
}
