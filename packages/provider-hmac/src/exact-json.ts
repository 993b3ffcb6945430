import { JsonNumber } from '@tender/core';

/** Value at a dot path ("orderPayment.status"), or undefined. */
export function valueAt(body: Record<string, unknown>, path: string): unknown {
  let current: unknown = body;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || current instanceof JsonNumber) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A string or number field as text (ids and statuses may be either), or undefined. */
export function textAt(body: Record<string, unknown>, path: string): string | undefined {
  const value = valueAt(body, path);
  if (typeof value === 'string' && value.length > 0) return value;
  if (value instanceof JsonNumber) return value.source;
  return undefined;
}
