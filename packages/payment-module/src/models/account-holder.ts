import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { tenantColumn, timestamps } from './common.js';

export const AccountHolder = defineEntity({
  name: 'AccountHolder',
  tableName: 'account_holder',
  uniques: [{ properties: ['tenant', 'provider_id', 'customer_id'] }],
  properties: {
    id: p.string().primary(),
    tenant: tenantColumn(),
    provider_id: p.string(),
    customer_id: p.string(),
    external_id: p.string(),
    email: p.string().nullable(),
    data: p.json<Record<string, unknown>>().default('{}'),
    metadata: p.json<Record<string, unknown>>().nullable(),
    ...timestamps,
  },
});
export type AccountHolder = InferEntity<typeof AccountHolder>;
