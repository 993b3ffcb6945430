import { addAmounts, compareAmounts, minAmount, subtractAmounts } from '@tender/core';

/** Capture/refund statuses that hold their amount: counted against what is left to capture or refund. */
export const RESERVING = ['pending', 'succeeded'];

export function total(rows: { amount: string; status: string }[], statuses: string[]): string {
  return addAmounts('0', ...rows.filter((r) => statuses.includes(r.status)).map((r) => r.amount));
}

/** The key that makes a provider-reported movement apply once: per reference, or per running total. */
export function providerMovementKey(paymentId: string, kind: 'capture' | 'refund', reported: string, reference?: string): string {
  return reference ? `${paymentId}:provider-${kind}:ref:${reference}` : `${paymentId}:provider-${kind}:${reported}`;
}

/**
 * What a provider report adds to what is already known, never beyond `room` (what is left to capture or
 * refund): a referenced movement adds its own amount; a running total adds its excess over `known`.
 */
function unrecordedAmount(reported: string, known: string, room: string, reference?: string): string {
  const wanted = reference ? reported : subtractAmounts(reported, known);
  const amount = minAmount(wanted, room);
  return compareAmounts(amount, '0') > 0 ? amount : '0';
}

/** What a payment's succeeded captures say: fully captured (it gets `captured_at`), and its session reads `captured`. */
export function captureState(paymentAmount: string, succeeded: string): { full: boolean; any: boolean } {
  return { full: compareAmounts(succeeded, paymentAmount) >= 0, any: compareAmounts(succeeded, '0') > 0 };
}

/** A movement a provider reports: its running total, or one movement named by `reference`. */
export interface ReportedMovement {
  /** Defaults to the payment's whole amount. */
  amount?: string;
  reference?: string;
}

/**
 * The share of a provider report not yet recorded, for a payment whose rows of that kind are `rows` and
 * whose rows may total at most `ceiling` (its amount for captures, what was captured for refunds).
 * `over` says the report exceeds what can be recorded, which is worth a warning.
 */
export function reportedShare(
  paymentId: string,
  kind: 'capture' | 'refund',
  rows: { amount: string; status: string; idempotency_key: string }[],
  reported: string,
  ceiling: string,
  reference?: string,
): { recorded: string; key: string; over: boolean } {
  const key = providerMovementKey(paymentId, kind, reported, reference);
  const known = total(rows, RESERVING);
  const room = subtractAmounts(ceiling, known);
  const recorded = rows.some((r) => r.idempotency_key === key) ? '0' : unrecordedAmount(reported, known, room, reference);
  return { recorded, key, over: !reference && compareAmounts(reported, ceiling) > 0 };
}
