import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorStore } from './emulator-store.js';
import { parseFormBody } from './form-body.js';
import { readBody, send } from './http.js';
import type { IdempotencyCache } from './idempotency.js';
import { sendInjectedFailure } from './injected-failure.js';
import { type EmulatedFailure, type RecordedRequest, recordOf } from './recorded-request.js';
import { route } from './routes.js';

/** Everything one emulator keeps between requests. */
export interface EmulatorState {
  readonly store: EmulatorStore;
  readonly requests: RecordedRequest[];
  readonly failures: EmulatedFailure[];
  readonly idempotency: IdempotencyCache;
}

const API_KEY = /^Bearer (sk|rk)_(test|live)_\S+$/;

/** Records the request, then answers it: a pending injected failure first, then the API key check, then the API. */
export async function handleRequest(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = (request.method ?? 'GET').toUpperCase();
  const raw = await readBody(request);
  const params = parseFormBody(method === 'POST' ? raw : url.search.slice(1));
  const record = recordOf(request, method, url.pathname, params);
  state.requests.push(record);

  const failure = state.failures.shift();
  if (failure) return sendInjectedFailure(failure, record, request, response);

  const authorization = request.headers.authorization ?? '';
  if (!API_KEY.test(authorization)) {
    record.status = 401;
    send(
      response,
      401,
      JSON.stringify({
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided: the emulator accepts sk_test_… keys.' },
      }),
    );
    return;
  }

  const call = { method, path: url.pathname, raw, authorization, key: record.idempotencyKey };
  const answer = state.idempotency.answer(call, () => route(state.store, method, url.pathname, params));
  record.status = answer.status;
  record.replayed = answer.replayed;
  send(response, answer.status, answer.body, answer.headers);
}
