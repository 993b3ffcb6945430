import type { HeaderValue } from './provider/types.js';

/** One webhook request as the HTTP layer hands it to the payment module. */
export interface IncomingWebhook {
  /** The route segment `identifier_id`, e.g. "stripe_stripe" for provider `pp_stripe_stripe`. */
  provider: string;
  /** Tenant from the URL only; undefined or "_" means the default tenant. */
  tenant?: string;
  method: string;
  headers: Record<string, HeaderValue>;
  query: Record<string, string>;
  rawBody: Buffer;
}

export type WebhookReceipt =
  /** Stored durably in the inbox; the worker will apply it. */
  | { outcome: 'accepted'; webhook_event_id: string; event_id: string; action: string }
  /** The same provider event id was stored before: nothing changed. */
  | { outcome: 'duplicate'; webhook_event_id: string; event_id: string; action: string }
  /** Verified but not an event Tender acts on (`not_supported`): recorded and acknowledged. */
  | { outcome: 'ignored'; webhook_event_id: string; event_id: string; action: string };

/**
 * What `@tender/http` needs from the module. Errors are TenderErrors whose type decides the status:
 * not_found 404, unauthorized 401, invalid_data 400, unavailable 503, anything else 500. A receiver turns its
 * own infrastructure's failures (a lost database) into `unavailable`: the HTTP layer reads no driver codes.
 */
export interface WebhookReceiver {
  receiveWebhook(webhook: IncomingWebhook): Promise<WebhookReceipt>;
}
