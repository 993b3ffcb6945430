import { TenderError } from '../errors.js';

/**
 * Gateways send money as JSON numbers (`"value": 10.10`). `JSON.parse` would make that a float, so
 * these helpers keep every number as the text the gateway wrote (JSON.parse source access) and write
 * amounts back as exact number literals (JSON.rawJSON); both exist in Node >= 21.
 */
export class JsonNumber {
  constructor(readonly source: string) {}
}

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;
const exactJson = JSON as unknown as { rawJSON(text: string): unknown };

/**
 * Parses JSON keeping numbers exact: as `JsonNumber`s (`'wrap'`, so a number stays distinguishable from
 * a string) or as their source text (`'text'`).
 */
export function parseExactJson(text: string, numbers: 'wrap' | 'text' = 'wrap'): unknown {
  const reviver: SourceReviver = (_key, value, context) => {
    if (typeof value !== 'number' || context?.source === undefined) return value;
    return numbers === 'wrap' ? new JsonNumber(context.source) : context.source;
  };
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

/** Parses a webhook body that must be a JSON object (invalid_data otherwise), numbers kept exact. */
export function parseExactJsonObject(raw: Buffer | string, numbers: 'wrap' | 'text' = 'wrap'): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseExactJson(typeof raw === 'string' ? raw : raw.toString('utf8'), numbers);
  } catch {
    throw new TenderError('invalid_data', 'Webhook body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonNumber) {
    throw new TenderError('invalid_data', 'Webhook body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** A JSON number literal written verbatim from a decimal string, for JSON.stringify. */
export function jsonNumber(decimal: string): unknown {
  return exactJson.rawJSON(decimal);
}
