import { parseExactJson, TenderError } from '@tender/core';
import { toEasypayKey } from './gateway-key.js';

export interface EasypayClientConfig {
  accountId: string;
  apiKey: string;
  apiBaseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface EasypayRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Serialized with JSON.stringify; use jsonNumber() for money so it is written exactly. */
  body?: Record<string, unknown>;
  /** Sent as `Idempotency-Key` (POST only): Easypay replays the first response for the same key. */
  idempotencyKey?: string;
}

export type EasypayObject = Record<string, unknown>;

/** A thin Easypay 2.0 client: authentication headers, idempotency, exact money, errors as TenderErrors. */
export class EasypayClient {
  constructor(private readonly config: EasypayClientConfig) {}

  async request(request: EasypayRequest): Promise<EasypayObject> {
    const url = `${this.config.apiBaseUrl.replace(/\/+$/, '')}${request.path}`;
    const headers: Record<string, string> = {
      AccountId: this.config.accountId,
      ApiKey: this.config.apiKey,
      Accept: 'application/json',
    };
    if (request.body) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey && request.method === 'POST') headers['Idempotency-Key'] = toEasypayKey(request.idempotencyKey);

    const doFetch = this.config.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers,
        body: request.body ? JSON.stringify(request.body) : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new TenderError('unavailable', `Easypay API unreachable (${request.method} ${request.path}): try again later.`, {
        cause: error,
      });
    }
    const text = await response.text();
    const body = parseBody(text);
    if (response.ok) return body;
    throw toTenderError(response.status, request, body);
  }
}

function parseBody(text: string): EasypayObject {
  if (!text) return {};
  try {
    const parsed = parseExactJson(text, 'text');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as EasypayObject) : {};
  } catch {
    return { message: [text.slice(0, 200)] };
  }
}

function messageOf(body: EasypayObject): string {
  const message = body.message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : '';
}

function toTenderError(status: number, request: EasypayRequest, body: EasypayObject): TenderError {
  const what = `Easypay ${request.method} ${request.path} answered ${status}`;
  const detail = messageOf(body);
  const details = { status, easypay_message: detail };
  if (status === 401 || status === 403) {
    return new TenderError(
      'provider_error',
      `${what}: the AccountId/ApiKey were refused. Check the provider's accountId and apiKey options (and that they belong to this apiBaseUrl's environment).`,
      { details },
    );
  }
  if (status === 404) return new TenderError('not_found', `${what}: no such resource.${detail ? ` ${detail}` : ''}`, { details });
  if (status === 429 || status >= 500) {
    return new TenderError('unavailable', `${what}: Easypay is busy or failing, try again later.`, { details });
  }
  return new TenderError('provider_error', `${what}: ${detail || 'request refused'}`, { details });
}
