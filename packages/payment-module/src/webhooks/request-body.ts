import type { HeaderValue } from '@tender/core';
import { headerValue } from '@tender/core';

/** A convenience view of the body for providers; signature checks always use the raw bytes. */
export function parseBodyForProvider(rawBody: Buffer, headers: Record<string, HeaderValue>): Record<string, unknown> {
  if (rawBody.length === 0) return {};
  const contentType = headerValue(headers, 'content-type') ?? '';
  try {
    if (contentType.includes('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
    }
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // Malformed bodies are the provider's to reject: it knows whether it expected JSON at all.
    return {};
  }
}
