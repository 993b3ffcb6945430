import { TenderError } from '@tender/core';
import { DEFAULT_TENANT } from '../models/index.js';

/** `_`, an empty segment and no segment all name the default tenant. */
export function normalizeTenant(tenant: string | undefined): string {
  return !tenant || tenant === '_' ? DEFAULT_TENANT : tenant;
}

/**
 * What a tenant's route answers both for a tenant that does not exist and for a delivery that fails
 * verification, so that the answer does not tell which tenants exist. The log keeps the real reason.
 */
export function unverifiedForTenant(cause: unknown): TenderError {
  return new TenderError('unauthorized', 'The webhook could not be verified for this route.', { cause });
}
