import { PaymentActions, TenderError, type WebhookActionAndData } from '@tender/core';
import { HMAC_EVENT_ACTIONS } from './event-types.js';
import { textAt } from './exact-json.js';
import type { HmacProviderOptions } from './options.js';
import { readPaymentData } from './payment-fields.js';
import type { VerifiedDelivery } from './verify-signature.js';

/**
 * Events mode: `{ id, type, data: { session_id, amount, currency } }` (paths configurable).
 * The event id is the signed `webhook-id` under Standard Webhooks, otherwise the body's id field: it must come
 * from signed content, or a replayed body with a new id would slip past deduplication.
 */
export function readEvent(
  body: Record<string, unknown>,
  delivery: VerifiedDelivery,
  options: HmacProviderOptions,
): WebhookActionAndData {
  const fields = options.events;
  const eventType = textAt(body, fields.typeField);
  if (!eventType) {
    throw new TenderError('invalid_data', `Webhook has no event type at "${fields.typeField}": set events.typeField.`);
  }
  const eventId = delivery.webhookId ?? textAt(body, fields.eventIdField);
  if (!eventId) {
    throw new TenderError(
      'invalid_data',
      `Webhook has no event id at "${fields.eventIdField}": Tender deduplicates deliveries by it. Set events.eventIdField to the field your gateway uses.`,
    );
  }
  const action = fields.actions[eventType] ?? HMAC_EVENT_ACTIONS[eventType] ?? PaymentActions.NOT_SUPPORTED;
  if (action === PaymentActions.NOT_SUPPORTED) return { action, event_id: eventId, event_type: eventType };
  const read = readPaymentData(body, action, fields, options);
  if (action === PaymentActions.REFUNDED && read.data) {
    // Each refund event reports one refund, not the running total: name it so it is recorded once.
    read.data.reference = textAt(body, fields.refundIdField) ?? eventId;
  }
  return { ...read, event_id: eventId, event_type: eventType };
}
