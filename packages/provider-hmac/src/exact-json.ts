import { TenderError } from '@tender/core';

/**
 * A JSON number kept as the text the gateway sent. `JSON.parse` would turn 10.10 into a float;
 * money must never pass through one, so numbers stay text until read as an amount or id.
 */
export class JsonNumber {
  constructor(readonly source: string) {}
}

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses a webhook body into a JSON object whose numbers are JsonNumbers (invalid_data when it is not one). */
export function parseExactJson(raw: Buffer): Record<string, unknown> {
  const keepNumberSource: SourceReviver = (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined ? new JsonNumber(context.source) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'), keepNumberSource as Parameters<typeof JSON.parse>[1]);
  } catch {
    throw new TenderError('invalid_data', 'Webhook body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonNumber) {
    throw new TenderError('invalid_data', 'Webhook body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

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
