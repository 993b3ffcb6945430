import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './common.js';

export const RefundReason = defineEntity({
  name: 'RefundReason',
  tableName: 'refund_reason',
  // A soft-deleted reason gives its code back: only live reasons must have distinct codes.
  indexes: [
    {
      name: 'refund_reason_code_unique',
      expression: 'create unique index "refund_reason_code_unique" on "refund_reason" ("code") where "deleted_at" is null',
    },
  ],
  properties: {
    id: p.string().primary(),
    code: p.string(),
    label: p.string(),
    description: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    deleted_at: p.datetime().nullable(),
    ...timestamps,
  },
});
export type RefundReason = InferEntity<typeof RefundReason>;
