import { type PaymentAction, PaymentActions, TenderError, type WebhookActionAndData } from '@tender/core';
import { textAt } from './exact-json.js';
import type { HmacProviderOptions } from './options.js';
import { readPaymentData } from './payment-fields.js';
import type { VerifiedDelivery } from './verify-signature.js';

function statusAction(statuses: Record<string, PaymentAction>, status: string): PaymentAction {
  const exact = statuses[status];
  if (exact) return exact;
  // Gateways are inconsistent about case ("PAID", "paid"); a mapping should not break on it.
  const match = Object.entries(statuses).find(([name]) => name.toUpperCase() === status.toUpperCase());
  return match?.[1] ?? PaymentActions.NOT_SUPPORTED;
}

/**
 * Order payment mode: the gateway sends the payment object itself, e.g. `{ orderPayment: { id, status, … } }`.
 * One order payment goes through several statuses, so the event id is `<id>:<status>` (or the signed
 * `webhook-id` under Standard Webhooks): a redelivered PAID deduplicates, while PENDING then PAID are two events.
 */
export function readOrderPayment(
  body: Record<string, unknown>,
  delivery: VerifiedDelivery,
  options: HmacProviderOptions,
): WebhookActionAndData {
  const fields = options.orderPayment;
  const status = textAt(body, fields.statusField);
  if (!status) {
    throw new TenderError('invalid_data', `Webhook has no status at "${fields.statusField}": set orderPayment.statusField.`);
  }
  const paymentId = textAt(body, fields.idField);
  if (!delivery.webhookId && !paymentId) {
    throw new TenderError(
      'invalid_data',
      `Webhook has no order payment id at "${fields.idField}": Tender derives the event id from it to deduplicate deliveries. Set orderPayment.idField.`,
    );
  }
  const eventId = delivery.webhookId ?? `${paymentId}:${status}`;
  const eventType = `order_payment.${status}`;
  const action = statusAction(fields.statuses, status);
  if (action === PaymentActions.NOT_SUPPORTED) return { action, event_id: eventId, event_type: eventType };
  return { ...readPaymentData(body, action, fields, options), event_id: eventId, event_type: eventType };
}
