/**
 * The Stripe API version every request is pinned to: the version the installed SDK's types describe
 * (stripe 23.1.0), so response shapes never drift with the account's dashboard default.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;
