import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

const RANDOM_BYTES = 16;
// Random bytes are drawn 256 ids at a time, as node's randomUUID does: one call to the CSPRNG per id cost
// 3% of the app's CPU on the webhook path (a profile of the bench's e2e run).
const pool = Buffer.allocUnsafe(RANDOM_BYTES * 256);
let used = pool.length;

function randomPart(): Uint8Array {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += RANDOM_BYTES;
  return pool.subarray(used - RANDOM_BYTES, used);
}

/**
 * `pay_col_01JD…`: a readable prefix, then a time-ordered part (so ids sort by creation and
 * B-tree inserts stay local) and 80 random bits.
 */
export function generateId(prefix: string): string {
  const time = Date.now().toString(32).toUpperCase().padStart(10, '0');
  return `${prefix}_${time}${base32(randomPart())}`;
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
