import { AccountHolder } from './account-holder.js';
import { Capture } from './capture.js';
import { OutboxEvent } from './outbox-event.js';
import { Payment } from './payment.js';
import { PaymentCollection } from './payment-collection.js';
import { PaymentSession } from './payment-session.js';
import { ProviderConfig } from './provider-config.js';
import { Refund } from './refund.js';
import { RefundReason } from './refund-reason.js';
import { Tenant } from './tenant.js';
import { WebhookEvent } from './webhook-event.js';

export { DEFAULT_TENANT } from './common.js';
export {
  AccountHolder,
  Capture,
  OutboxEvent,
  Payment,
  PaymentCollection,
  PaymentSession,
  ProviderConfig,
  Refund,
  RefundReason,
  Tenant,
  WebhookEvent,
};

export const entities = [
  PaymentCollection,
  PaymentSession,
  Payment,
  Capture,
  Refund,
  RefundReason,
  AccountHolder,
  WebhookEvent,
  Tenant,
  ProviderConfig,
  OutboxEvent,
];
