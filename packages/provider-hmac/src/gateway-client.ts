import { TenderError } from '@tender/core';

export interface GatewayClientOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

/**
 * JSON-over-HTTP client for a gateway's API. A failure the gateway may recover from (network error,
 * timeout, 5xx, 429) is `unavailable` so the caller retries with the same idempotency key; a refusal (other 4xx)
 * is `provider_error`.
 */
export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  post(path: string, body: Record<string, unknown>, idempotencyKey: string | undefined): Promise<Record<string, unknown>> {
    return this.request('POST', path, body, idempotencyKey);
  }

  get(path: string): Promise<Record<string, unknown>> {
    return this.request('GET', path);
  }

  private async request(
    method: string,
    path: string,
    body?: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<Record<string, unknown>> {
    const url = new URL(
      path.replace(/^\//, ''),
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new TenderError(
        'unavailable',
        `Gateway ${method} ${url.pathname} failed: ${(error as Error).message}. Retry later.`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429;
      throw new TenderError(
        retryable ? 'unavailable' : 'provider_error',
        `Gateway ${method} ${url.pathname} answered ${response.status}: ${text.slice(0, 300) || response.statusText}`,
        { details: { status: response.status } },
      );
    }
    if (text.length === 0) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw new TenderError('provider_error', `Gateway ${method} ${url.pathname} did not answer with a JSON object.`);
  }
}
