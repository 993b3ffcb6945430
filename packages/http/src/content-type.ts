/**
 * Which request media types a webhook POST may carry. Providers send JSON, form-encoded
 * or plain-text bodies; anything else (multipart, binary) is refused before the body is read.
 *
 * Patterns: an exact type (`application/json`), a subtype wildcard (`text/*`), a structured
 * suffix (`application/*+json`), or `*` / `*\/*` to accept anything, including no type.
 */
export const DEFAULT_CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/*+json',
  'application/x-www-form-urlencoded',
  'text/*',
];

/** `Application/JSON; charset=utf-8` → `application/json`; undefined when absent or empty. */
export function mediaType(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const type = value.split(';', 1)[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

export function acceptsAnything(patterns: readonly string[]): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === '*/*');
}

function matches(type: string, pattern: string): boolean {
  const wanted = pattern.trim().toLowerCase();
  if (wanted === '*' || wanted === '*/*') return true;
  const [top, sub] = type.split('/');
  if (sub === undefined || top === '' || sub === '') return false;
  const [wantedTop, wantedSub] = wanted.split('/');
  if (wantedTop !== top) return false;
  if (wantedSub === '*') return true;
  if (wantedSub.startsWith('*+')) return sub.endsWith(wantedSub.slice(1));
  return wantedSub === sub;
}

export function isAcceptedMediaType(type: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matches(type, pattern));
}
