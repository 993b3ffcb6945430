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
  properties: {
    id: p.string().primary(),
    payment: () => p.manyToOne(Payment).mapToPk().index(),
    amount: money(),
    status: p.string().length(16).default('pending'),
    idempotency_key: p.string().unique(),
    /** 'merchant' when Tender asked the provider; 'provider' when a webhook reported one already made. */
    source: p.string().length(16).default('merchant'),
    created_by: p.string().nullable(),
    error: p.text().nullable(),
    ...timestamps,
  },
});
export type Capture = InferEntity<typeof Capture>;
