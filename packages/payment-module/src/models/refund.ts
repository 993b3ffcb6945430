import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, timestamps } from './common.js';
import { Payment } from './payment.js';
import { RefundReason } from './refund-reason.js';

/** Like a capture, a refund is reserved as `pending` before the provider call and settled after. */
export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refund',
  uniques: [{ properties: ['payment', 'idempotency_key'] }],
  properties: {
    id: p.string().primary(),
    payment: () => p.manyToOne(Payment).mapToPk().index(),
    amount: money(),
    status: p.string().length(16).default('pending'),
    /** The caller's key (or the row's id): unique per payment, so one key never reaches another payment's rows. */
    idempotency_key: p.string(),
    /** A digest of the arguments first given with the key: a retry with other arguments is a conflict. */
    request_fingerprint: p.string().length(64).nullable(),
    source: p.string().length(16).default('merchant'),
    refund_reason: () => p.manyToOne(RefundReason).mapToPk().nullable(),
    note: p.text().nullable(),
    created_by: p.string().nullable(),
    error: p.text().nullable(),
    ...timestamps,
  },
});
export type Refund = InferEntity<typeof Refund>;
