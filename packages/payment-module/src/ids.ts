import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

/**
 * `pay_col_01JD…`: a readable prefix, then a time-ordered part (so ids sort by creation and
 * B-tree inserts stay local) and 80 random bits.
 */
export function generateId(prefix: string): string {
  const time = Date.now().toString(32).toUpperCase().padStart(10, '0');
  return `${prefix}_${time}${base32(randomBytes(16))}`;
}

export const IdPrefix = {
  collection: 'pay_col',
  session: 'payses',
  payment: 'pay',
  capture: 'capt',
  refund: 'ref',
  refundReason: 'refr',
  accountHolder: 'acchld',
  webhookEvent: 'whevt',
  outboxEvent: 'evt',
} as const;
