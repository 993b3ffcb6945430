import type { IncomingWebhook, WebhookReceipt, WebhookReceiver } from '@tender/core';
import { TenderError } from '@tender/core';
import { FORWARD_SECRET_HEADER, FORWARDED_METHOD_HEADER, FORWARDED_QUERY_HEADER, forwardableHeaders } from './forward-headers.js';
import { forwardingOptionsSchema, parseForwardingOptions } from './forwarding-options.js';

export interface ForwardingOptions {
  /** The central API's forwarding endpoint, e.g. `https://api.example.com/v1/webhooks/payments`. */
  target: string;
  /** Shared with the central API, at least 16 bytes (`openssl rand -hex 32`); sent in `x-forward-secret`. */
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const STATUS_TYPES: Record<number, TenderError['type']> = {
  400: 'invalid_data',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  413: 'invalid_data',
  415: 'invalid_data',
};

/**
 * A receiver for a checkout edge: instead of storing the webhook, it hands the provider's exact bytes
 * and headers to the central commerce API, which verifies and stores them. The edge answers the
 * provider with the central API's verdict, so a failure there still makes the provider retry.
 */
export function createForwardingReceiver(options: ForwardingOptions): WebhookReceiver {
  const config = parseForwardingOptions(forwardingOptionsSchema, options, 'forwarding');
  const send = config.fetch ?? fetch;
  const base = config.target.replace(/\/+$/, '');
  return {
    async receiveWebhook(webhook: IncomingWebhook): Promise<WebhookReceipt> {
      const url = new URL(`${base}/${encodeURIComponent(webhook.provider)}`);
      if (webhook.tenant && webhook.tenant !== '_') url.searchParams.set('org', webhook.tenant);
      const headers = new Headers(forwardableHeaders(webhook.headers));
      headers.set(FORWARD_SECRET_HEADER, config.secret);
      headers.set(FORWARDED_METHOD_HEADER, webhook.method);
      headers.set(FORWARDED_QUERY_HEADER, new URLSearchParams(webhook.query).toString());
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers,
          body: new Uint8Array(webhook.rawBody),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
      } catch (error) {
        throw new TenderError('unavailable', 'The central payments API could not be reached; retry later.', { cause: error });
      }
      const payload = (await response.json().catch(() => ({}))) as {
        outcome?: WebhookReceipt['outcome'];
        event_id?: string;
        webhook_event_id?: string;
        action?: string;
        error?: { message?: string };
      };
      if (response.ok && payload.outcome) {
        return {
          outcome: payload.outcome,
          event_id: payload.event_id ?? '',
          webhook_event_id: payload.webhook_event_id ?? '',
          action: payload.action ?? '',
        };
      }
      const type = STATUS_TYPES[response.status] ?? 'unavailable';
      throw new TenderError(type, payload.error?.message ?? `The central payments API answered ${response.status}.`);
    },
  };
}
