import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, tenantColumn, timestamps } from './common.js';
import { PaymentCollection } from './payment-collection.js';

export const PaymentSession = defineEntity({
  name: 'PaymentSession',
  tableName: 'payment_session',
  properties: {
    id: p.string().primary(),
    tenant: tenantColumn(),
    payment_collection: () => p.manyToOne(PaymentCollection).mapToPk().index(),
    provider_id: p.string(),
    currency_code: p.string().length(3),
    amount: money(),
    status: p.string().length(32).default('pending'),
    data: p.json<Record<string, unknown>>().default('{}'),
    context: p.json<Record<string, unknown>>().nullable(),
    authorized_at: p.datetime().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    deleted_at: p.datetime().nullable(),
    ...timestamps,
  },
});
export type PaymentSession = InferEntity<typeof PaymentSession>;
