import { DEFAULT_TENANT } from '../models/index.js';

/** `_`, an empty segment and no segment all name the default tenant. */
export function normalizeTenant(tenant: string | undefined): string {
  return !tenant || tenant === '_' ? DEFAULT_TENANT : tenant;
}
