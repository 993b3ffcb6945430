import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AuthorizePaymentOutput,
  addAmounts,
  assertPositiveAmount,
  compareAmounts,
  normalizeAmount,
  type ProviderContext,
  settleWithLimit,
  TenderError,
} from '@tender/core';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import {
  insertPayments,
  type LockedSession,
  type NewPayment,
  type NewProviderCapture,
  type PaymentWrite,
  raisePaymentAmount,
  readLockedSessions,
  readSessionsForAuthorization,
  type SessionForAuthorization,
  updateSessionStatus,
} from './authorization-sql.js';
import { recomputeCollectionRow, totalsFrom } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { type LockedCollectionRow, lockCollectionRows } from './locking.js';
import { captureState, providerMovementKey, type ReportedMovement } from './movements.js';
import { callProvider } from './provider-call.js';
import {
  assertOwnSession,
  ForeignWebhookError,
  foreignReason,
  ProviderContradictsWebhookError,
  provenAmount,
  type WebhookClaim,
} from './webhook-trust.js';

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

export interface WebhookAuthorizationInput extends WebhookClaim {
  status: 'authorized' | 'captured';
  /** What the webhook reports as authorized; for `captured`, `capture.amount` is used. */
  amount?: string;
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
function createdEvents(outcome: Outcome): NewDomainEvent[] {
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
    if (options.webhook) assertOwnSession(session, options.webhook);
    if (session.payment_id && !(await this.mayRaise(session, options))) return this.existing(session.payment_id);
    // A payment that exists is only raised to what the webhook proves: there is nothing to ask the provider.
    const authorization = session.payment_id ? { status: options.webhook!.status } : await this.askProvider(session, context, options);
    const [outcome] = await this.write([{ session, authorization, options, reported }]);
    return this.settle(sessionId, outcome!);
  }

  /**
   * Whether a webhook-decided claim proves more than the session's payment holds (a capture of 10.00 that
   * arrived before the authorization of 50.00): the payment then grows to what is proven, so the amounts
   * recorded do not depend on the order the events came in.
   */
  private async mayRaise(session: SessionForAuthorization, options: AuthorizeOptions): Promise<boolean> {
    const claim = options.webhook;
    if (!claim || session.payment_amount === null || !(await this.webhookDecides(session))) return false;
    return compareAmounts(provenAmount(claimedAmount(options), session.amount), session.payment_amount) > 0;
  }

  private async webhookDecides(session: Pick<SessionForAuthorization, 'provider_id' | 'tenant' | 'data'>): Promise<boolean> {
    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    return provider.canAskStatus ? !provider.canAskStatus(session.data) : false;
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
      // A session that is not the webhook's goes alone, to be refused before its provider is asked.
      const foreign = session && options.webhook ? foreignReason(session, options.webhook) : null;
      if (!session || foreign || session.payment_id || collections.has(session.payment_collection_id)) {
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

    const asked = await settleWithLimit(shared, PROVIDER_CALLS_AT_ONCE, ({ session, index }) => this.askProvider(session, {}, requests[index]!.options));
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

  /**
   * The provider's answer: for a merchant's call, its authorization; for a webhook, its status of the
   * session's own payment (a question, never a command), or nothing to ask when it has no status call.
   */
  private async askProvider(
    session: SessionForAuthorization,
    context: ProviderContext,
    options: AuthorizeOptions,
  ): Promise<AuthorizePaymentOutput> {
    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    const webhook = options.webhook;
    if (webhook && provider.canAskStatus && !provider.canAskStatus(session.data)) return { status: webhook.status };
    const input = { data: session.data, context: { ...context, tenant: session.tenant, idempotency_key: `${session.id}:authorize` } };
    return webhook
      ? callProvider(session.provider_id, 'read the payment status', () => provider.getPaymentStatus(input))
      : callProvider(session.provider_id, 'authorize a payment', () => provider.authorizePayment(input));
  }

  /**
   * One transaction for all `answered` (sessions of different collections): their collections locked in id
   * order, their sessions read again under the locks, and the payments none of them has yet written in one
   * statement.
   */
  private async write(answered: Answered[]): Promise<Outcome[]> {
    if (answered.length === 0) return [];
    const decides = await Promise.all(answered.map((a) => (a.options.webhook ? this.webhookDecides(a.session) : false)));
    return this.ctx.orm.em.fork().transactional(async (em) => {
      const collectionIds = answered.map((a) => a.session.payment_collection_id);
      const sessionIds = answered.map((a) => a.session.id);
      const collections = new Map((await lockCollectionRows(em, collectionIds)).map((c) => [c.id, c]));
      const locked = new Map((await readLockedSessions(em, sessionIds)).map((s) => [s.id, s]));
      const outcomes: Outcome[] = [];
      for (const [i, a] of answered.entries()) {
        const collection = collections.get(a.session.payment_collection_id);
        const session = locked.get(a.session.id);
        outcomes.push(
          collection && session ? await this.decideUnderLock(em, collection, session, a, decides[i]!) : { kind: 'missing' },
        );
      }
      await insertPayments(
        em,
        outcomes.flatMap((o) => (o.kind === 'created' ? [o.write] : [])),
      );
      // The events commit with the payments they describe (one more statement, no more commits).
      await writeOutboxEvents(em, outcomes.flatMap(createdEvents));
      return outcomes;
    });
  }

  /** What a written outcome means for the caller: the payment (and its events), or why there is none. */
  private async settle(sessionId: string, outcome: Outcome): Promise<WebhookAuthorizationResult> {
    switch (outcome.kind) {
      case 'missing':
        throw notFound(sessionId);
      case 'foreign':
        throw new ForeignWebhookError(outcome.reason);
      case 'existing':
        return this.existing(outcome.paymentId);
      case 'declined':
        if (outcome.contradicts) throw new ProviderContradictsWebhookError(sessionId, outcome.status, outcome.contradicts);
        throw new TenderError(
          'not_allowed',
          `Payment session ${sessionId} is ${outcome.status} at the provider, not authorized.`,
          {
            details: { status: outcome.status },
          },
        );
    }
    const { payment } = outcome;
    return { payment, created: true, captured: outcome.captured, collection_status: outcome.collectionStatus };
  }

  /**
   * Under the collection's lock: the payment to write (with its captures and the collection's totals), unless
   * the session is not the webhook's, a payment exists, or the money is not proven (that status is written here).
   * `decides`: the provider has no status to ask, so the webhook's claim is its word, for the amount it reports.
   */
  private async decideUnderLock(
    em: EntityManager,
    collection: LockedCollectionRow,
    locked: LockedSession,
    { authorization, options, reported }: Answered,
    decides: boolean,
  ): Promise<Outcome> {
    const sessionId = locked.id;
    const claim = options.webhook;
    const foreign = claim ? foreignReason(locked, claim) : null;
    if (foreign) return { kind: 'foreign', reason: foreign };
    if (locked.payment_id) {
      if (decides) await this.raiseToProven(em, collection, locked, provenAmount(claimedAmount(options), locked.amount));
      return { kind: 'existing', paymentId: locked.payment_id };
    }
    const data = { ...locked.data, ...authorization.data };
    const status = decides ? claim!.status : authorization.status;
    if (status !== 'authorized' && status !== 'captured') {
      await updateSessionStatus(em, sessionId, status, data);
      await recomputeCollectionRow(em, collection);
      return { kind: 'declined', status, contradicts: claim?.status };
    }

    const paymentId = generateId(IdPrefix.payment);
    // The gateway's own figures where it was asked; the webhook's reported amount where it decides.
    const amount = provenAmount(decides ? claimedAmount(options) : authorization.amount, locked.amount);
    if (compareAmounts(amount, '0') <= 0) return { kind: 'declined', status: 'pending', contradicts: claim?.status };
    // A gateway that was asked says what it took; a `captured` webhook that decides took what it reports.
    const providerCaptured =
      status !== 'captured' ? undefined : decides ? amount : provenAmount(authorization.captured_amount, amount);
    const { captures, captured } = this.initialCaptures(paymentId, providerCaptured, decides ? reported?.reference : undefined);
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
      kind: 'created',
      write: { payment, captures, sessionStatus, totals },
      payment: newPaymentDTO(payment, captures),
      captured,
      collectionId: collection.id,
      collectionStatus: totals.status,
    };
  }

  /** Grows a webhook-decided payment to what a later event proves (never beyond the session's amount). */
  private async raiseToProven(em: EntityManager, collection: LockedCollectionRow, locked: LockedSession, proven: string) {
    if (locked.payment_amount === null || compareAmounts(proven, locked.payment_amount) <= 0) return;
    await raisePaymentAmount(em, locked.payment_id!, proven);
    await recomputeCollectionRow(em, collection);
    this.ctx.logger.info(
      { session_id: locked.id, payment_id: locked.payment_id, from: locked.payment_amount, to: proven },
      'payment raised to the amount its webhook proves',
    );
  }

  /** A new payment's first capture: what is already taken, as its own running total or the referenced movement. */
  private initialCaptures(paymentId: string, captured: string | undefined, reference: string | undefined) {
    if (!captured || compareAmounts(captured, '0') <= 0) return { captures: [] as NewProviderCapture[], captured: '0' };
    const key = providerMovementKey(paymentId, 'capture', captured, reference);
    return { captures: [{ id: generateId(IdPrefix.capture), amount: captured, idempotency_key: key }], captured };
  }

  private async existing(paymentId: string): Promise<WebhookAuthorizationResult> {
    return { payment: await this.retrievePayment(paymentId), created: false, captured: '0' };
  }
}

function notFound(sessionId: string): TenderError {
  return new TenderError('not_found', `Payment session ${sessionId} was not found.`);
}

/** The amount a webhook claims: its capture's for `captured`, else what it reports as authorized. */
function claimedAmount(options: AuthorizeOptions): string | undefined {
  const claim = options.webhook;
  if (!claim) return undefined;
  return claim.status === 'captured' ? (options.providerCapture?.amount ?? claim.amount) : claim.amount;
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
