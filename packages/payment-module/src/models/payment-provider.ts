import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './common.js';

/** Registered providers, kept so listings and foreign data survive a provider being removed from config. */
export const PaymentProviderRecord = defineEntity({
  name: 'PaymentProviderRecord',
  tableName: 'payment_provider',
  properties: {
    id: p.string().primary(),
    is_enabled: p.boolean().default(true),
    ...timestamps,
  },
});
export type PaymentProviderRecord = InferEntity<typeof PaymentProviderRecord>;
