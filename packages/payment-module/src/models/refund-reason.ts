import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './common.js';

export const RefundReason = defineEntity({
  name: 'RefundReason',
  tableName: 'refund_reason',
  properties: {
    id: p.string().primary(),
    code: p.string().unique(),
    label: p.string(),
    description: p.text().nullable(),
    ...timestamps,
  },
});
export type RefundReason = InferEntity<typeof RefundReason>;
