/**
 * PostgreSQL text cannot hold U+0000, and jsonb refuses `\u0000` and unpaired surrogate escapes. A request
 * carrying one must fail alone, as a 400, before it joins a batch: sent in one, the NUL byte breaks the
 * whole statement (the server reads it as a malformed protocol message) and every row with it.
 */

/** JSON.stringify escapes NUL as `\u0000` and a lone surrogate as `\udXXX`; an even run of `\` before it is literal text. */
const UNSTORABLE_JSON_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** For a text column. */
export function storableText(value: string | null): boolean {
  return value === null || !value.includes('\u0000');
}

/** For a jsonb column, given the output of JSON.stringify. */
export function storableJson(serialized: string | null): boolean {
  return serialized === null || (storableText(serialized) && !UNSTORABLE_JSON_ESCAPE.test(serialized));
}
