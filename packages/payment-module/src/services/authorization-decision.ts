import { type AuthorizePaymentOutput, addAmounts, compareAmounts, normalizeAmount } from '@tender/core';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import type { Logger } from '../logger.js';
import {
  type LockedSession,
  type NewPayment,
  type NewProviderCapture,
  type PaymentWrite,
  raisePaymentAmount,
  type SessionForAuthorization,
  updateSessionStatus,
} from './authorization-rows.js';
import { recomputeCollectionRow, totalsFrom } from './collection-state.js';
import type { PaymentDTO } from './dto.js';
import type { LockedCollectionRow } from './locking.js';
import { captureState, providerMovementKey, type ReportedMovement } from './movements.js';
import { foreignReason, provenAmount, type WebhookClaim } from './webhook-trust.js';

/**
 * What an authorization writes under its collection's lock, decided from the session as read there: the one
 * rule for a merchant's authorization and a webhook's, alone or written together with others.
 */

export interface AuthorizeOptions {
  /** Set for a webhook: what it claims, checked against the session under the collection's lock. */
  webhook?: WebhookAuthorizationClaim;
  /** A capture the provider reports (a webhook), recorded in the transaction that creates the payment. */
  providerCapture?: ReportedMovement;
}

/** A webhook's claim that a session is authorized or captured. */
export interface WebhookAuthorizationClaim extends WebhookClaim {
  status: 'authorized' | 'captured';
  /** The amount the webhook reports: authorized, or (for `captured`) the capture's. */
  amount?: string;
}

export type Reported = { amount?: string; reference?: string } | undefined;

/** An authorization the provider has answered, waiting to be written under the collection's lock. */
export interface Answered {
  session: SessionForAuthorization;
  authorization: AuthorizePaymentOutput;
  options: AuthorizeOptions;
  reported: Reported;
  /** The provider has no status to ask: the webhook's claim is its word, for the amount it reports. */
  decides: boolean;
}

export type AuthorizationOutcome =
  | { kind: 'missing' }
  | { kind: 'foreign'; reason: string }
  | { kind: 'existing'; paymentId: string }
  | { kind: 'declined'; status: string; contradicts?: 'authorized' | 'captured' }
  | {
      kind: 'created';
      payment: PaymentDTO;
      captured: string;
      collectionId: string;
      collectionStatus: string;
      write: PaymentWrite;
    };

/** payment.authorized, and payment.captured for a capture recorded with it, of a created payment. */
export function createdEvents(outcome: AuthorizationOutcome): NewDomainEvent[] {
  if (outcome.kind !== 'created') return [];
  const { payment } = outcome;
  const base = { id: payment.id, session_id: payment.payment_session_id, payment_collection_id: outcome.collectionId };
  return [
    { name: PaymentEvents.AUTHORIZED, tenant: payment.tenant, data: { ...base, amount: payment.amount } },
    ...(outcome.captured !== '0'
      ? [
          {
            name: PaymentEvents.CAPTURED,
            tenant: payment.tenant,
            data: { ...base, amount: outcome.captured, source: 'provider' },
          },
        ]
      : []),
  ];
}

/** `values` with one occurrence of `from` replaced by `to`. */
function replaceOne(values: string[], from: string, to: string): string[] {
  const i = values.indexOf(from);
  return i < 0 ? values : values.with(i, to);
}

function capturedTotal(captures: NewProviderCapture[]): string {
  return addAmounts('0', ...captures.map((c) => c.amount));
}

function newPaymentDTO(payment: NewPayment, captures: NewProviderCapture[]): PaymentDTO {
  return {
    ...payment,
    amount: normalizeAmount(payment.amount),
    captured_amount: capturedTotal(captures),
    refunded_amount: '0',
    canceled_at: null,
    captures: captures.map((c) => ({
      id: c.id,
      payment_id: payment.id,
      amount: normalizeAmount(c.amount),
      status: 'succeeded',
      source: 'provider',
      created_by: null,
      created_at: payment.created_at,
    })),
    refunds: [],
  };
}

/**
 * Under the collection's lock: the payment to write (with its captures and the collection's totals), unless
 * the session is not the webhook's, a payment exists, or the money is not proven (that status is written here).
 */
export async function decideUnderLock(
  em: SqlExecutor,
  collection: LockedCollectionRow,
  locked: LockedSession,
  { authorization, options, reported, decides }: Answered,
  logger: Logger,
): Promise<AuthorizationOutcome> {
  const sessionId = locked.id;
  const claim = options.webhook;
  const foreign = claim ? foreignReason(locked, claim) : null;
  if (foreign) return { kind: 'foreign', reason: foreign };
  if (locked.payment_id) {
    if (decides) await raiseToProven(em, collection, locked, provenAmount(claimedAmount(options), locked.amount), logger);
    return { kind: 'existing', paymentId: locked.payment_id };
  }
  const data = { ...locked.data, ...authorization.data };
  const status = decides ? claim!.status : authorization.status;
  if (status !== 'authorized' && status !== 'captured') {
    await updateSessionStatus(em, sessionId, status, data);
    await recomputeCollectionRow(em, collection);
    return { kind: 'declined', status, contradicts: claim?.status };
  }

  // The gateway's own figures where it was asked; the webhook's reported amount where it decides.
  const amount = provenAmount(decides ? claimedAmount(options) : authorization.amount, locked.amount);
  if (compareAmounts(amount, '0') <= 0) return { kind: 'declined', status: 'pending', contradicts: claim?.status };
  // A gateway that was asked says what it took; a `captured` webhook that decides took what it reports.
  const providerCaptured =
    status !== 'captured' ? undefined : decides ? amount : provenAmount(authorization.captured_amount, amount);
  return createdOutcome(collection, locked, {
    amount,
    data,
    providerCaptured,
    reference: decides ? reported?.reference : undefined,
  });
}

/** The payment an authorization creates, with its first capture and the collection's totals once it is written. */
function createdOutcome(
  collection: LockedCollectionRow,
  locked: LockedSession,
  proven: { amount: string; data: Record<string, unknown>; providerCaptured: string | undefined; reference: string | undefined },
): AuthorizationOutcome {
  const { amount, data } = proven;
  const paymentId = generateId(IdPrefix.payment);
  const { captures, captured } = initialCaptures(paymentId, proven.providerCaptured, proven.reference);
  const now = new Date();
  const capturedNow = capturedTotal(captures);
  const state = captureState(amount, capturedNow);
  const sessionStatus = state.any ? 'captured' : 'authorized';
  const payment: NewPayment = {
    id: paymentId,
    tenant: locked.tenant,
    payment_collection_id: collection.id,
    payment_session_id: locked.id,
    provider_id: locked.provider_id,
    currency_code: locked.currency_code,
    amount,
    data,
    captured_at: state.full ? now : null,
    created_at: now,
  };
  // The collection's rows as read under the lock, plus what this payment adds: the same totals a
  // recomputation after the insert would find, without a statement for it.
  const totals = totalsFrom(collection.amount, {
    ...locked,
    session_statuses: replaceOne(locked.session_statuses, locked.status, sessionStatus),
    authorized_amount: addAmounts(locked.authorized_amount, amount),
    captured_amount: addAmounts(locked.captured_amount, capturedNow),
  });
  return {
    kind: 'created',
    write: { payment, captures, sessionStatus, totals },
    payment: newPaymentDTO(payment, captures),
    captured,
    collectionId: collection.id,
    collectionStatus: totals.status,
  };
}

/** Grows a webhook-decided payment to what a later event proves (never beyond the session's amount). */
async function raiseToProven(
  em: SqlExecutor,
  collection: LockedCollectionRow,
  locked: LockedSession,
  proven: string,
  logger: Logger,
) {
  if (locked.payment_amount === null || compareAmounts(proven, locked.payment_amount) <= 0) return;
  await raisePaymentAmount(em, locked.payment_id!, proven);
  await recomputeCollectionRow(em, collection);
  logger.info(
    { session_id: locked.id, payment_id: locked.payment_id, from: locked.payment_amount, to: proven },
    'payment raised to the amount its webhook proves',
  );
}

/** A new payment's first capture: what is already taken, as its own running total or the referenced movement. */
function initialCaptures(paymentId: string, captured: string | undefined, reference: string | undefined) {
  if (!captured || compareAmounts(captured, '0') <= 0) return { captures: [] as NewProviderCapture[], captured: '0' };
  const key = providerMovementKey(paymentId, 'capture', captured, reference);
  return { captures: [{ id: generateId(IdPrefix.capture), amount: captured, idempotency_key: key }], captured };
}

/** The amount a webhook claims: its capture's for `captured`, else what it reports as authorized. */
export function claimedAmount(options: AuthorizeOptions): string | undefined {
  const claim = options.webhook;
  if (!claim) return undefined;
  return claim.status === 'captured' ? (options.providerCapture?.amount ?? claim.amount) : claim.amount;
}
