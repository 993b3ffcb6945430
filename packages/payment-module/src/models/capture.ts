import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { money, timestamps } from './common.js';
import { Payment } from './payment.js';

/**
 * A capture is written as `pending` before the provider is called (reserving its amount under the
 * collection lock) and settled afterwards, so no lock is held across the network call.
 */
export const Capture = defineEntity({
  name: 'Capture',
  tableName: 'capture',
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
    /** 'merchant' when Tender asked the provider; 'provider' when a webhook reported one already made. */
    source: p.string().length(16).default('merchant'),
    created_by: p.string().nullable(),
    error: p.text().nullable(),
    ...timestamps,
  },
});
export type Capture = InferEntity<typeof Capture>;
