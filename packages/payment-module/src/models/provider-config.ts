import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './common.js';
import { Tenant } from './tenant.js';

/**
 * A tenant's own options for one provider. Plain options are stored as JSON; secrets only as
 * AES-256-GCM ciphertext, with the id of the key that sealed them so the key can be rotated.
 */
export const ProviderConfig = defineEntity({
  name: 'ProviderConfig',
  tableName: 'provider_config',
  uniques: [{ properties: ['tenant', 'provider_id'] }],
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant).mapToPk().deleteRule('cascade'),
    provider_id: p.string(),
    options: p.json<Record<string, unknown>>().default('{}'),
    secrets_ciphertext: p.text().nullable(),
    key_id: p.string().length(32).nullable(),
    ...timestamps,
  },
});
export type ProviderConfig = InferEntity<typeof ProviderConfig>;
