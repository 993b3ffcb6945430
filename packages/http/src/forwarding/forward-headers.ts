import type { HeaderValue } from '@tender/core';

/** The shared secret that tells the central API a request came from our own edge. */
export const FORWARD_SECRET_HEADER = 'x-forward-secret';
/** The provider's original method and query (GET callbacks carry their data in the query). */
export const FORWARDED_METHOD_HEADER = 'x-tender-forwarded-method';
export const FORWARDED_QUERY_HEADER = 'x-tender-forwarded-query';

/** Hop-by-hop and transport headers belong to each connection, not to the provider's request. */
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-connection',
  'expect',
  FORWARD_SECRET_HEADER,
  FORWARDED_METHOD_HEADER,
  FORWARDED_QUERY_HEADER,
]);

/** The provider's headers, unchanged, as fetch() header pairs (repeated headers stay repeated). */
export function forwardableHeaders(headers: Record<string, HeaderValue>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name.toLowerCase())) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, one]);
  }
  return pairs;
}

/** Removes the forwarding envelope so the receiver sees the provider's request as it was. */
export function withoutEnvelope(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => ![FORWARD_SECRET_HEADER, FORWARDED_METHOD_HEADER, FORWARDED_QUERY_HEADER].includes(name),
    ),
  );
}
