import { p } from '@mikro-orm/core';

/** Columns every table shares. Amount columns are NUMERIC read back as strings: money never becomes a float. */
export const timestamps = {
  // The database default serves the inbox's raw INSERT … ON CONFLICT, which bypasses the ORM.
  created_at: p
    .datetime()
    .defaultRaw('current_timestamp')
    .onCreate(() => new Date()),
  updated_at: p
    .datetime()
    .defaultRaw('current_timestamp')
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

export const money = () => p.decimal('string').precision(20).scale(6);

/** The tenant a row belongs to; single-tenant deployments use DEFAULT_TENANT throughout. */
export const tenantColumn = () => p.string().length(64).default('default');

export const DEFAULT_TENANT = 'default';
