import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, tenantColumn, timestamps } from './common.js';

export const PaymentCollection = defineEntity({
  name: 'PaymentCollection',
  tableName: 'payment_collection',
  properties: {
    id: p.string().primary(),
    tenant: tenantColumn().index(),
    currency_code: p.string().length(3),
    amount: money(),
    authorized_amount: money().default('0'),
    captured_amount: money().default('0'),
    refunded_amount: money().default('0'),
    status: p.string().length(32).default('not_paid'),
    completed_at: p.datetime().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    deleted_at: p.datetime().nullable(),
    ...timestamps,
  },
});
export type PaymentCollection = InferEntity<typeof PaymentCollection>;
