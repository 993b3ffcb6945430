import { TenderError } from '@tender/core';

export interface IfthenpayClientConfig {
  apiBaseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export type IfthenpayObject = Record<string, unknown>;

/**
 * Ifthenpay's JSON API. Authentication is the method key in the body or query (mbKey, mbWayKey,
 * backofficekey); the API has no idempotency key, so callers must not blindly retry money-moving calls.
 */
export class IfthenpayClient {
  constructor(private readonly config: IfthenpayClientConfig) {}

  async request(method: 'GET' | 'POST', path: string, payload: Record<string, string>): Promise<IfthenpayObject> {
    const base = this.config.apiBaseUrl.replace(/\/+$/, '');
    const url = method === 'GET' ? `${base}${path}?${new URLSearchParams(payload)}` : `${base}${path}`;
    const doFetch = this.config.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: { Accept: 'application/json', ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
        body: method === 'POST' ? JSON.stringify(payload) : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new TenderError('unavailable', `Ifthenpay API unreachable (${method} ${path}): try again later.`, { cause: error });
    }
    const text = await response.text();
    let body: IfthenpayObject = {};
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as IfthenpayObject;
    } catch {
      body = { Message: text.slice(0, 200) };
    }
    if (response.ok) return body;
    const message = typeof body.Message === 'string' ? body.Message : `HTTP ${response.status}`;
    if (response.status === 429 || response.status >= 500) {
      throw new TenderError('unavailable', `Ifthenpay ${method} ${path} answered ${response.status}: try again later.`);
    }
    throw new TenderError('provider_error', `Ifthenpay ${method} ${path} refused the request: ${message}`, {
      details: { status: response.status, ifthenpay_message: message },
    });
  }
}
