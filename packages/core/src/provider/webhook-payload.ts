import { TenderError } from '../errors.js';
import type { HeaderValue, ProviderWebhookPayload } from './types.js';

/** First value of a header (names are lower-cased by the HTTP layer). */
export function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function requireHeader(payload: ProviderWebhookPayload, name: string): string {
  const value = headerValue(payload.headers, name);
  if (!value) throw new TenderError('unauthorized', `Missing ${name} header.`);
  return value;
}

/** Parses the raw body as a JSON object, with a 400-class error when it is not one. */
export function parseJsonObject(raw: Buffer | string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new TenderError('invalid_data', 'Webhook body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TenderError('invalid_data', 'Webhook body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
