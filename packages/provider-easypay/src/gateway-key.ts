import { createHash } from 'node:crypto';

/** Easypay caps `key`, `transaction_key` and `Idempotency-Key` at 50 characters. */
export const EASYPAY_KEY_MAX = 50;

/**
 * Fits a Tender key into Easypay's 50 characters. Short keys pass unchanged (so they stay readable in
 * the backoffice); longer ones become a digest, which is still the same on every retry.
 */
export function toEasypayKey(key: string): string {
  if (key.length <= EASYPAY_KEY_MAX) return key;
  return `h_${createHash('sha256')
    .update(key)
    .digest('hex')
    .slice(0, EASYPAY_KEY_MAX - 2)}`;
}
