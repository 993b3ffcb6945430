import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, tenantColumn, timestamps } from './common.js';
import { PaymentCollection } from './payment-collection.js';
import { PaymentSession } from './payment-session.js';

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  properties: {
    id: p.string().primary(),
    tenant: tenantColumn(),
    payment_collection: () => p.manyToOne(PaymentCollection).mapToPk().index(),
    // One payment per session: the unique index is what makes concurrent authorizations yield one payment.
    payment_session: () => p.oneToOne(PaymentSession).mapToPk().owner().unique(),
    provider_id: p.string(),
    currency_code: p.string().length(3),
    amount: money(),
    data: p.json<Record<string, unknown>>().default('{}'),
    captured_at: p.datetime().nullable(),
    canceled_at: p.datetime().nullable(),
    ...timestamps,
  },
});
export type Payment = InferEntity<typeof Payment>;
