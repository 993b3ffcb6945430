import { createHmac, timingSafeEqual } from 'node:crypto';

export type HmacEncoding = 'hex' | 'base64';

export function hmacSha256(secret: string | Buffer, payload: string | Buffer, encoding: HmacEncoding = 'hex'): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}

/** Compares two strings in time independent of where they differ (length is not secret). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** True when `signature` is the HMAC-SHA256 of `payload` under any of `secrets` (rotation). */
export function verifyHmacSha256(
  secrets: readonly (string | Buffer)[],
  payload: string | Buffer,
  signature: string,
  encoding: HmacEncoding = 'hex',
): boolean {
  const candidate = encoding === 'hex' ? signature.trim().toLowerCase() : signature.trim();
  let matched = false;
  // Check every secret so the time taken does not reveal which one matched.
  for (const secret of secrets) {
    if (constantTimeEqual(hmacSha256(secret, payload, encoding), candidate)) matched = true;
  }
  return matched;
}
