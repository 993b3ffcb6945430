import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './common.js';

/** A merchant served by this deployment; webhooks for a tenant that is not here get 404. */
export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.string().length(64).primary(),
    name: p.string().nullable(),
    ...timestamps,
  },
});
export type Tenant = InferEntity<typeof Tenant>;
