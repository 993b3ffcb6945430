import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AuthorizePaymentOutput,
  addAmounts,
  assertPositiveAmount,
  normalizeAmount,
  type ProviderContext,
  settleWithLimit,
  TenderError,
} from '@tender/core';
import { PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import {
  insertPayments,
  type LockedSession,
  type NewPayment,
  type NewProviderCapture,
  type PaymentWrite,
  readLockedSessions,
  readSessionsForAuthorization,
  type SessionForAuthorization,
  updateSessionStatus,
} from './authorization-sql.js';
import { recomputeCollectionRow, totalsFrom } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { type LockedCollectionRow, lockCollectionRows } from './locking.js';
import { captureState, providerMovementKey, type ReportedMovement, reportedShare } from './movements.js';
import { callProvider } from './provider-call.js';

export interface AuthorizeOptions {
  /** Set by the webhook workflow: a verified webhook decides when the provider has no status to ask. */
  verifiedWebhookStatus?: 'authorized' | 'captured';
  /** A capture the provider reports (a webhook), recorded in the transaction that creates the payment. */
  providerCapture?: ReportedMovement;
}

export interface WebhookAuthorizationInput {
  status: 'authorized' | 'captured';
  /** A capture the webhook reports, recorded in the transaction that creates the payment. */
  capture?: ReportedMovement;
}

export interface WebhookAuthorizationResult {
  payment: PaymentDTO;
  /** True when this call created the payment (false: it existed, or a concurrent call made it). */
  created: boolean;
  /** The capture amount this call recorded from `capture` ('0' when none). */
  captured: string;
  /** The collection's status as this call's transaction left it; absent when the payment already existed. */
  collection_status?: string;
}

/**
 * Provider calls a batch authorization makes at the same time: a worker's batch is 32 sessions, and a
 * gateway's API limits how fast one account may call it.
 */
const PROVIDER_CALLS_AT_ONCE = 8;

/** One session of `applyWebhookAuthorizations`. */
export interface WebhookAuthorizationRequest extends WebhookAuthorizationInput {
  session_id: string;
}

/** An authorization the provider has answered, waiting to be written under the collection's lock. */
interface Answered {
  session: SessionForAuthorization;
  authorization: AuthorizePaymentOutput;
  options: AuthorizeOptions;
  reported: Reported;
}

type Reported = { amount?: string; reference?: string } | undefined;

type Outcome =
  | { missing: true }
  | { existing: string }
  | { status: string }
  | {
      payment: PaymentDTO;
      captured: string;
      alreadyCaptured: boolean;
      collectionId: string;
      collectionStatus: string;
      write: PaymentWrite;
    };

/** `values` with one occurrence of `from` replaced by `to`. */
function replaceOne(values: string[], from: string, to: string): string[] {
  const i = values.indexOf(from);
  return i < 0 ? values : values.with(i, to);
}

/** A new payment's captures as movement rows: all of them succeeded. */
function succeeded(captures: NewProviderCapture[]) {
  return captures.map((c) => ({ ...c, status: 'succeeded' }));
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
 * Asks the provider whether a session is authorized and, when it is, creates the session's one payment.
 * Idempotent: a session that has a payment returns it without calling the provider. The provider is
 * called with no lock held; the payment is written under the collection's row lock, after checking
 * that no concurrent call wrote it first.
 */
export class SessionAuthorizer {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly retrievePayment: (id: string) => Promise<PaymentDTO>,
  ) {}

  async authorize(sessionId: string, context: ProviderContext, options: AuthorizeOptions): Promise<WebhookAuthorizationResult> {
    const reported = reportedCapture(options);
    const [session] = await readSessionsForAuthorization(this.ctx.orm.em.fork(), [sessionId]);
    if (!session) throw notFound(sessionId);
    if (session.payment_id) return this.existing(session.payment_id);
    const authorization = await this.askProvider(session, context);
    const [outcome] = await this.write([{ session, authorization, options, reported }]);
    return this.settle(sessionId, outcome!);
  }

  /**
   * `authorize` for many sessions, with each answer as `authorize` would give it. The new payments of
   * sessions in different collections are written in one transaction (one commit instead of one each);
   * a session that already has its payment, shares its collection with an earlier one of the list, or
   * whose transaction cannot be shared takes `authorize`'s own path.
   */
  async authorizeMany(
    requests: { sessionId: string; options: AuthorizeOptions }[],
  ): Promise<PromiseSettledResult<WebhookAuthorizationResult>[]> {
    const results: PromiseSettledResult<WebhookAuthorizationResult>[] = new Array(requests.length);
    const sessions = new Map(
      (await readSessionsForAuthorization(this.ctx.orm.em.fork(), [...new Set(requests.map((r) => r.sessionId))])).map((s) => [
        s.id,
        s,
      ]),
    );
    const alone: number[] = [];
    const shared: { index: number; session: SessionForAuthorization; reported: Reported }[] = [];
    const collections = new Set<string>();
    requests.forEach(({ sessionId, options }, index) => {
      const session = sessions.get(sessionId);
      if (!session || session.payment_id || collections.has(session.payment_collection_id)) {
        alone.push(index);
        return;
      }
      try {
        shared.push({ index, session, reported: reportedCapture(options) });
        collections.add(session.payment_collection_id);
      } catch (error) {
        results[index] = { status: 'rejected', reason: error };
      }
    });

    const asked = await settleWithLimit(shared, PROVIDER_CALLS_AT_ONCE, ({ session }) => this.askProvider(session, {}));
    const answered: (Answered & { index: number })[] = [];
    asked.forEach((answer, i) => {
      const { index, session, reported } = shared[i]!;
      if (answer.status === 'rejected') results[index] = answer;
      else answered.push({ index, session, authorization: answer.value, options: requests[index]!.options, reported });
    });
    const outcomes = await this.write(answered).catch((error: unknown) => {
      this.ctx.logger.warn(
        { err: error, sessions: answered.length },
        'shared authorization transaction failed; writing each alone',
      );
      return undefined;
    });
    const settled = await Promise.allSettled(
      answered.map(async (a, i) => this.settle(a.session.id, outcomes ? outcomes[i]! : (await this.write([a]))[0]!)),
    );
    settled.forEach((result, i) => {
      results[answered[i]!.index] = result;
    });

    // After the shared commit: a repeat of a session in the list now finds its payment.
    const rest = await Promise.allSettled(alone.map((i) => this.authorize(requests[i]!.sessionId, {}, requests[i]!.options)));
    rest.forEach((result, i) => {
      results[alone[i]!] = result;
    });
    return results;
  }

  private async askProvider(session: SessionForAuthorization, context: ProviderContext): Promise<AuthorizePaymentOutput> {
    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    return callProvider(session.provider_id, 'authorize a payment', () =>
      provider.authorizePayment({
        data: session.data,
        context: { ...context, tenant: session.tenant, idempotency_key: `${session.id}:authorize` },
      }),
    );
  }

  /**
   * One transaction for all `answered` (sessions of different collections): their collections locked in id
   * order, their sessions read again under the locks, and the payments none of them has yet written in one
   * statement.
   */
  private async write(answered: Answered[]): Promise<Outcome[]> {
    if (answered.length === 0) return [];
    return this.ctx.orm.em.fork().transactional(async (em) => {
      const collectionIds = answered.map((a) => a.session.payment_collection_id);
      const sessionIds = answered.map((a) => a.session.id);
      const collections = new Map((await lockCollectionRows(em, collectionIds)).map((c) => [c.id, c]));
      const locked = new Map((await readLockedSessions(em, sessionIds)).map((s) => [s.id, s]));
      const outcomes: Outcome[] = [];
      for (const a of answered) {
        const collection = collections.get(a.session.payment_collection_id);
        const session = locked.get(a.session.id);
        outcomes.push(collection && session ? await this.decideUnderLock(em, collection, session, a) : { missing: true });
      }
      await insertPayments(
        em,
        outcomes.flatMap((o) => ('write' in o ? [o.write] : [])),
      );
      return outcomes;
    });
  }

  /** What a written outcome means for the caller: the payment (and its events), or why there is none. */
  private async settle(sessionId: string, outcome: Outcome): Promise<WebhookAuthorizationResult> {
    if ('missing' in outcome) throw notFound(sessionId);
    if ('existing' in outcome) return this.existing(outcome.existing);
    if ('status' in outcome) {
      throw new TenderError('not_allowed', `Payment session ${sessionId} is ${outcome.status} at the provider, not authorized.`, {
        details: { status: outcome.status },
      });
    }
    const { payment } = outcome;
    const base = { id: payment.id, session_id: sessionId, payment_collection_id: outcome.collectionId };
    await this.ctx.events.emit([
      { name: PaymentEvents.AUTHORIZED, data: { ...base, amount: payment.amount } },
      ...(outcome.alreadyCaptured ? [{ name: PaymentEvents.CAPTURED, data: { ...base, amount: payment.amount } }] : []),
      ...(outcome.captured !== '0'
        ? [{ name: PaymentEvents.CAPTURED, data: { ...base, amount: outcome.captured, source: 'provider' } }]
        : []),
    ]);
    return { payment, created: true, captured: outcome.captured, collection_status: outcome.collectionStatus };
  }

  /**
   * Under the collection's lock: the payment to write (with its captures and the collection's totals), unless
   * one exists or the provider did not authorize (that status is written here).
   */
  private async decideUnderLock(
    em: EntityManager,
    collection: LockedCollectionRow,
    locked: LockedSession,
    { authorization, options, reported }: Answered,
  ): Promise<Outcome> {
    const sessionId = locked.id;
    if (locked.payment_id) return { existing: locked.payment_id };
    const data = { ...locked.data, ...authorization.data };
    let { status } = authorization;
    if (status !== 'authorized' && status !== 'captured' && options.verifiedWebhookStatus) {
      // Some gateways have no status call (a Multibanco reference is settled only by its callback): a
      // verified webhook saying the money is there is the provider's own word for it.
      this.ctx.logger.info(
        { session_id: sessionId, provider_status: status, webhook_status: options.verifiedWebhookStatus },
        'provider status lags its verified webhook; the webhook decides',
      );
      status = options.verifiedWebhookStatus;
    }
    if (status !== 'authorized' && status !== 'captured') {
      await updateSessionStatus(em, sessionId, status, data);
      await recomputeCollectionRow(em, collection);
      return { status };
    }

    const paymentId = generateId(IdPrefix.payment);
    const amount = normalizeAmount(locked.amount);
    const alreadyCaptured = status === 'captured';
    const { captures, captured } = this.initialCaptures(paymentId, amount, alreadyCaptured, reported);
    const now = new Date();
    const capturedNow = capturedTotal(captures);
    const state = captureState(amount, capturedNow);
    const sessionStatus = state.any ? 'captured' : 'authorized';
    const payment: NewPayment = {
      id: paymentId,
      tenant: locked.tenant,
      payment_collection_id: collection.id,
      payment_session_id: sessionId,
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
      write: { payment, captures, sessionStatus, totals },
      payment: newPaymentDTO(payment, captures),
      captured,
      alreadyCaptured,
      collectionId: collection.id,
      collectionStatus: totals.status,
    };
  }

  /**
   * A new payment's captures: the whole amount when the provider already took it, plus the part of a
   * reported capture not covered by that. The payment is new, so nothing needs reading.
   */
  private initialCaptures(
    paymentId: string,
    amount: string,
    alreadyCaptured: boolean,
    reported: { amount?: string; reference?: string } | undefined,
  ): { captures: NewProviderCapture[]; captured: string } {
    const captures: NewProviderCapture[] = alreadyCaptured
      ? [{ id: generateId(IdPrefix.capture), amount, idempotency_key: providerMovementKey(paymentId, 'capture', amount) }]
      : [];
    if (!reported) return { captures, captured: '0' };
    const share = reportedShare(paymentId, 'capture', succeeded(captures), reported.amount ?? amount, amount, reported.reference);
    if (share.over) {
      this.ctx.logger.warn(
        { payment_id: paymentId, kind: 'capture', reported: reported.amount, limit: amount },
        'provider reports more than Tender can record',
      );
    }
    if (share.recorded === '0') return { captures, captured: '0' };
    captures.push({ id: generateId(IdPrefix.capture), amount: share.recorded, idempotency_key: share.key });
    return { captures, captured: share.recorded };
  }

  private async existing(paymentId: string): Promise<WebhookAuthorizationResult> {
    return { payment: await this.retrievePayment(paymentId), created: false, captured: '0' };
  }
}

function notFound(sessionId: string): TenderError {
  return new TenderError('not_found', `Payment session ${sessionId} was not found.`);
}

/** The capture a webhook reports, its amount checked before anything is asked or written. */
function reportedCapture(options: AuthorizeOptions): Reported {
  const capture = options.providerCapture;
  if (!capture) return undefined;
  return {
    amount: capture.amount === undefined ? undefined : assertPositiveAmount(capture.amount, 'captured amount'),
    reference: capture.reference,
  };
}
