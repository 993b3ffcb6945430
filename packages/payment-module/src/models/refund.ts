import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, timestamps } from './common.js';
import { Payment } from './payment.js';
import { RefundReason } from './refund-reason.js';

/** Like a capture, a refund is reserved as `pending` before the provider call and settled after. */
export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refund',
  properties: {
    id: p.string().primary(),
    payment: () => p.manyToOne(Payment).mapToPk().index(),
    amount: money(),
    status: p.string().length(16).default('pending'),
    idempotency_key: p.string().unique(),
    source: p.string().length(16).default('merchant'),
    refund_reason: () => p.manyToOne(RefundReason).mapToPk().nullable(),
    note: p.text().nullable(),
    created_by: p.string().nullable(),
    error: p.text().nullable(),
    ...timestamps,
  },
});
export type Refund = InferEntity<typeof Refund>;
