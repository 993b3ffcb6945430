import { createHash } from 'node:crypto';
import { TenderError } from '@tender/core';

/** The fields `capturePayment` and `refundPayment` accept; anything else is refused by name. */
export const CAPTURE_FIELDS = ['payment_id', 'amount', 'captured_by', 'idempotency_key'] as const;
export const REFUND_FIELDS = ['payment_id', 'amount', 'refund_reason_id', 'note', 'created_by', 'idempotency_key'] as const;

/** A merchant capture or refund as its idempotency key identifies it. */
export interface MovementRequest {
  /** The caller's key; absent, every call is a new movement. */
  key?: string;
  /** A digest of the call's arguments: a key given again with other arguments is another request. */
  fingerprint: string;
}

/**
 * The request's key and fingerprint. The key is scoped by where it is stored (unique per payment, in the
 * table of its operation); the fingerprint covers the operation and every argument as given (an absent
 * amount, "the rest", is not the same request as an explicit one).
 */
export function movementRequest(key: string | undefined, args: unknown[]): MovementRequest {
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
    throw new TenderError('invalid_data', 'idempotency_key must be a non-empty string of at most 200 characters.');
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(args.map((a) => a ?? null)))
    .digest('hex');
  return { key, fingerprint };
}

/** Refuses a key reused with other arguments: answering it as done would hide that the second call did nothing. */
export function assertSameRequest(
  previous: { id: string; request_fingerprint?: string | null },
  request: MovementRequest,
  operation: string,
): void {
  // Rows written before fingerprints were kept match any retry of their key.
  if (!previous.request_fingerprint || previous.request_fingerprint === request.fingerprint) return;
  throw new TenderError(
    'conflict',
    `Idempotency key "${request.key}" was already used to ${operation} with other arguments (${previous.id}).`,
    { details: { idempotency_key: request.key, existing_id: previous.id } },
  );
}
