import type { CredentialFields, HeaderValue } from '@tender/core';

/**
 * Headers that authenticate a caller to us rather than sign a body, for every provider: the host's own
 * auth, a browser's cookies, the forwarding secret.
 */
export const UNSTORED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'x-forward-secret'];

export interface StorableRequest {
  headers: Record<string, HeaderValue>;
  query: Record<string, string>;
}

/**
 * The request as the inbox stores it: without the fields its provider declares as credentials, nor the
 * headers no provider needs kept. Called only after the signature was checked on the request as received.
 */
export function withoutCredentials(
  fields: CredentialFields | undefined,
  headers: Record<string, HeaderValue>,
  query: Record<string, string> | undefined,
): StorableRequest {
  const droppedHeaders = new Set([...UNSTORED_HEADERS, ...(fields?.headers ?? [])].map((name) => name.toLowerCase()));
  const droppedQuery = new Set(fields?.query ?? []);
  return {
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !droppedHeaders.has(name.toLowerCase()))),
    query: Object.fromEntries(Object.entries(query ?? {}).filter(([name]) => !droppedQuery.has(name))),
  };
}
