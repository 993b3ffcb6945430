/**
 * Route matching for `{prefix}/:identifier_:provider[/:tenant]`.
 *
 * Segments are validated before anything else sees them: the provider and tenant come from
 * the URL only, so a segment that could not name a provider or tenant is a 404 without the
 * receiver ever being called (no lookups driven by arbitrary input).
 */

/** `identifier_id`, e.g. `stripe_stripe` for `pp_stripe_stripe`; the id part may contain `_` and `-`. */
const PROVIDER_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9-]*_[A-Za-z0-9][A-Za-z0-9_-]*$/;
const PROVIDER_SEGMENT_MAX = 128;
const TENANT_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
/** The segment that means "the default tenant", so hosts can use one URL shape for everything. */
export const DEFAULT_TENANT_SEGMENT = '_';

export type RouteMatch =
  /** The path is not under the prefix: a middleware passes it on, a whole server answers 404. */
  | { kind: 'outside' }
  /** Under the prefix but not a webhook route. */
  | { kind: 'invalid' }
  | WebhookRoute;

/** A webhook route's segments: the provider's route key and the tenant, if the path names one. */
export interface WebhookRoute {
  kind: 'webhook';
  provider: string;
  tenant: string | undefined;
}

/** `/hooks/payment/` → `/hooks/payment`; `/` and `` → `` (routes at the root). */
export function normalizePrefix(prefix: string): string {
  let normalized = prefix.trim();
  if (!normalized.startsWith('/')) normalized = `/${normalized}`;
  while (normalized.endsWith('/')) normalized = normalized.slice(0, -1);
  return normalized;
}

/** Strips a query string or fragment that a caller left on the path. */
function pathOnly(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

export function matchWebhookRoute(rawPath: string, normalizedPrefix: string): RouteMatch {
  const path = pathOnly(rawPath);
  if (path !== normalizedPrefix && !path.startsWith(`${normalizedPrefix}/`)) return { kind: 'outside' };

  let rest = path.slice(normalizedPrefix.length + 1);
  // One trailing slash is tolerated because providers' dashboards often add one.
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (rest === '') return { kind: 'invalid' };

  const segments = rest.split('/');
  if (segments.length > 2) return { kind: 'invalid' };
  const [provider, tenant] = segments;
  if (provider.length > PROVIDER_SEGMENT_MAX || !PROVIDER_SEGMENT.test(provider)) return { kind: 'invalid' };
  if (tenant === undefined || tenant === DEFAULT_TENANT_SEGMENT) return { kind: 'webhook', provider, tenant: undefined };
  if (!TENANT_SEGMENT.test(tenant)) return { kind: 'invalid' };
  return { kind: 'webhook', provider, tenant };
}
