import type { HeaderValue, ProviderWebhookPayload } from '@tender/core';
import type { ConformanceWebhook } from './fixtures.js';

/** Lower-cases header names, as the HTTP layer does before a provider sees them. */
function lowerCaseHeaders(headers: ConformanceWebhook['headers']): Record<string, HeaderValue> {
  const result: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

function isForm(headers: Record<string, HeaderValue>): boolean {
  const type = headers['content-type'];
  return String(Array.isArray(type) ? type[0] : (type ?? '')).includes('application/x-www-form-urlencoded');
}

/** The convenience `data` the route derives from the body; providers must verify `rawData`, not this. */
function parseBody(rawBody: Buffer, headers: Record<string, HeaderValue>): Record<string, unknown> {
  if (rawBody.length === 0) return {};
  if (isForm(headers)) return Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Turns a webhook request into exactly what `getWebhookActionAndData` receives from the route. */
export function toProviderPayload(webhook: ConformanceWebhook): ProviderWebhookPayload {
  const headers = lowerCaseHeaders(webhook.headers);
  return {
    data: parseBody(webhook.rawBody, headers),
    rawData: Buffer.from(webhook.rawBody),
    headers,
    query: { ...(webhook.query ?? {}) },
    method: (webhook.method ?? 'POST').toUpperCase(),
  };
}

/**
 * Changes one byte: the first ASCII digit goes up by one ("9" goes down, so a number never gains a
 * leading zero). The body stays well-formed, so only the signature check can catch the change.
 */
export function bumpFirstDigit(webhook: ConformanceWebhook): ConformanceWebhook {
  const body = Buffer.from(webhook.rawBody);
  const index = body.findIndex((byte) => byte >= 0x30 && byte <= 0x39);
  if (index === -1) {
    throw new Error(
      'The conformance tamper check found no digit in the webhook body to change: pass fixtures.tamper, ' +
        'or fixtures.skip.tamperedBody with the reason the body is not signed.',
    );
  }
  body[index] = body[index] === 0x39 ? 0x38 : body[index] + 1;
  return { ...webhook, headers: { ...webhook.headers }, rawBody: body };
}

/** Removes the named headers (any case) and query parameters. */
export function withoutCredentials(webhook: ConformanceWebhook, headerNames: string[], queryNames: string[]): ConformanceWebhook {
  const dropHeaders = new Set(headerNames.map((name) => name.toLowerCase()));
  const dropQuery = new Set(queryNames);
  return {
    ...webhook,
    headers: Object.fromEntries(Object.entries(webhook.headers).filter(([name]) => !dropHeaders.has(name.toLowerCase()))),
    query: Object.fromEntries(Object.entries(webhook.query ?? {}).filter(([name]) => !dropQuery.has(name))),
  };
}
