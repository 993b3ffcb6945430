import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AmountInput,
  addAmounts,
  assertPositiveAmount,
  compareAmounts,
  minAmount,
  type PaymentDataOutput,
  type PaymentProvider,
  type ProviderContext,
  subtractAmounts,
  TenderError,
} from '@tender/core';
import { PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { Capture, Payment, type PaymentCollection, PaymentSession, Refund } from '../models/index.js';
import { recomputeCollection } from './collection-state.js';
import type { ServiceContext } from './context.js';
import { type PaymentDTO, toPaymentDTO } from './dto.js';
import { withCollectionLock } from './locking.js';
import { loadPayments } from './payment-loader.js';
import { callProvider } from './provider-call.js';

export interface CapturePaymentInput {
  payment_id: string;
  /** Defaults to everything authorized and not yet captured. */
  amount?: AmountInput;
  captured_by?: string;
  /** Give the same key when retrying the same capture: the provider sees one capture. */
  idempotency_key?: string;
}

export interface RefundPaymentInput {
  payment_id: string;
  amount?: AmountInput;
  refund_reason_id?: string;
  note?: string;
  created_by?: string;
  idempotency_key?: string;
}

const RESERVING = ['pending', 'succeeded'];

/** A merchant capture/refund row reserving `amount` until the provider answers. */
function pendingMovement(paymentId: string, amount: string, prefix: string, idempotencyKey?: string) {
  const id = generateId(prefix);
  return { id, payment: paymentId, amount, status: 'pending', source: 'merchant', idempotency_key: idempotencyKey ?? id };
}

/** What the provider is asked to capture or refund: the row's amount under the row's idempotency key. */
function movementInput(payment: Payment, row: { amount: string; idempotency_key: string }) {
  return {
    data: payment.data,
    amount: row.amount,
    currency_code: payment.currency_code,
    context: { idempotency_key: row.idempotency_key, tenant: payment.tenant },
  };
}

/** The key that makes a provider-reported movement apply once: per reference, or per running total. */
function providerMovementKey(paymentId: string, kind: 'capture' | 'refund', reported: string, reference?: string): string {
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

function total(rows: { amount: string; status: string }[], statuses: string[]): string {
  return addAmounts('0', ...rows.filter((r) => statuses.includes(r.status)).map((r) => r.amount));
}

/** How a provider-reported movement is bounded, and what it changes besides its own row. */
interface ReportRules {
  /** What is left to record beyond `known` (already recorded or reserved). */
  room: (em: EntityManager, locked: Payment, known: string) => Promise<string>;
  after?: (em: EntityManager, locked: Payment, succeeded: string) => Promise<void>;
}

const CAPTURE_RULES: ReportRules = {
  room: async (_em, locked, known) => subtractAmounts(locked.amount, known),
  after: async (em, locked, succeeded) => {
    if (compareAmounts(succeeded, locked.amount) >= 0 && !locked.captured_at) locked.captured_at = new Date();
    if (compareAmounts(succeeded, '0') > 0) {
      const session = await em.findOneOrFail(PaymentSession, { id: locked.payment_session });
      session.status = 'captured';
    }
  },
};

const REFUND_RULES: ReportRules = {
  room: async (em, locked, known) => subtractAmounts(total(await em.find(Capture, { payment: locked.id }), ['succeeded']), known),
};

interface AuthorizeOptions {
  /** Set by the webhook workflow: a verified webhook decides when the provider has no status to ask. */
  verifiedWebhookStatus?: 'authorized' | 'captured';
}

/** A movement a provider reports: its running total, or one movement named by `reference`. */
export interface ReportedMovement {
  /** Defaults to the payment's whole amount. */
  amount?: AmountInput;
  reference?: string;
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
}

export class PaymentOperations {
  constructor(private readonly ctx: ServiceContext) {}

  private async paymentOrFail(id: string): Promise<Payment> {
    const payment = await this.ctx.orm.em.fork().findOne(Payment, { id });
    if (!payment) throw new TenderError('not_found', `Payment ${id} was not found.`);
    return payment;
  }

  private async dto(em: EntityManager, payment: Payment): Promise<PaymentDTO> {
    const [dto] = await loadPayments(em, [payment]);
    return dto!;
  }

  async retrieve(id: string): Promise<PaymentDTO> {
    const payment = await this.paymentOrFail(id);
    return this.dto(this.ctx.orm.em.fork(), payment);
  }

  async list(filter: { payment_collection_id?: string; payment_session_id?: string } = {}): Promise<PaymentDTO[]> {
    const em = this.ctx.orm.em.fork();
    const where: Record<string, unknown> = {};
    if (filter.payment_collection_id) where.payment_collection = filter.payment_collection_id;
    if (filter.payment_session_id) where.payment_session = filter.payment_session_id;
    return loadPayments(em, await em.find(Payment, where, { orderBy: { created_at: 'asc' }, limit: 500 }));
  }

  /**
   * Asks the provider whether the session is authorized and, when it is, creates the session's one
   * payment. Idempotent: a session that has a payment returns it without calling the provider. When
   * the provider reports the money already captured (auto-capture), the capture is recorded without
   * a second provider capture.
   */
  async authorizeSession(sessionId: string, context: ProviderContext = {}, options: AuthorizeOptions = {}): Promise<PaymentDTO> {
    return (await this.authorize(sessionId, context, options)).payment;
  }

  /**
   * `authorizeSession` for a verified webhook: the webhook's word decides when the provider has no status
   * to ask, and a capture it reports is recorded in the same transaction as the new payment. Says
   * whether this call created the payment, so the caller knows what is its own to compensate.
   */
  applyWebhookAuthorization(sessionId: string, input: WebhookAuthorizationInput): Promise<WebhookAuthorizationResult> {
    return this.authorize(sessionId, {}, { verifiedWebhookStatus: input.status, providerCapture: input.capture });
  }

  private async authorize(
    sessionId: string,
    context: ProviderContext,
    options: AuthorizeOptions & { providerCapture?: ReportedMovement },
  ): Promise<WebhookAuthorizationResult> {
    const reportedCapture = options.providerCapture && {
      amount:
        options.providerCapture.amount === undefined
          ? undefined
          : assertPositiveAmount(options.providerCapture.amount, 'captured amount'),
      reference: options.providerCapture.reference,
    };
    const em = this.ctx.orm.em.fork();
    const session = await em.findOne(PaymentSession, { id: sessionId, deleted_at: null });
    if (!session) throw new TenderError('not_found', `Payment session ${sessionId} was not found.`);
    const existing = await em.findOne(Payment, { payment_session: sessionId });
    if (existing) return { payment: await this.dto(em, existing), created: false, captured: '0' };

    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    const authorization = await callProvider(session.provider_id, 'authorize a payment', () =>
      provider.authorizePayment({
        data: session.data,
        context: { ...context, tenant: session.tenant, idempotency_key: `${sessionId}:authorize` },
      }),
    );

    const outcome = await withCollectionLock(this.ctx.orm, session.payment_collection, async (lockedEm, collection) => {
      const locked = await lockedEm.findOneOrFail(PaymentSession, { id: sessionId });
      const raced = await lockedEm.findOne(Payment, { payment_session: sessionId });
      if (raced) return { payment: await this.dto(lockedEm, raced), created: false, captured: '0', alreadyCaptured: false };
      locked.data = { ...locked.data, ...authorization.data };
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
        locked.status = status;
        await recomputeCollection(lockedEm, collection);
        await lockedEm.flush();
        return { status };
      }
      const alreadyCaptured = status === 'captured';
      const { payment, captures } = this.createPayment(lockedEm, locked, collection, alreadyCaptured);
      let captured = '0';
      if (reportedCapture) {
        // The payment is new: its captures are exactly the ones just created, so nothing needs reading.
        const applied = await this.applyReported(lockedEm, Capture, payment, reportedCapture.amount ?? payment.amount, {
          reference: reportedCapture.reference,
          rows: captures,
          rules: CAPTURE_RULES,
        });
        captured = applied.recorded;
        captures.push(...applied.created);
      }
      await recomputeCollection(lockedEm, collection);
      await lockedEm.flush();
      return { payment: toPaymentDTO(payment, captures, []), created: true, captured, alreadyCaptured };
    });

    if ('status' in outcome) {
      throw new TenderError('not_allowed', `Payment session ${sessionId} is ${outcome.status} at the provider, not authorized.`, {
        details: { status: outcome.status },
      });
    }
    if (outcome.created) {
      const base = { id: outcome.payment.id, session_id: sessionId, payment_collection_id: session.payment_collection };
      const amount = outcome.payment.amount;
      await this.ctx.events.emit([
        { name: PaymentEvents.AUTHORIZED, data: { ...base, amount } },
        ...(outcome.alreadyCaptured ? [{ name: PaymentEvents.CAPTURED, data: { ...base, amount } }] : []),
        ...(outcome.captured !== '0'
          ? [{ name: PaymentEvents.CAPTURED, data: { ...base, amount: outcome.captured, source: 'provider' } }]
          : []),
      ]);
    }
    return { payment: outcome.payment, created: outcome.created, captured: outcome.captured };
  }

  /** The session's payment (and the capture, when the provider already took the money); flushed by the caller. */
  private createPayment(
    em: EntityManager,
    session: PaymentSession,
    collection: PaymentCollection,
    alreadyCaptured: boolean,
  ): { payment: Payment; captures: Capture[] } {
    const now = new Date();
    const payment = em.create(Payment, {
      id: generateId(IdPrefix.payment),
      tenant: session.tenant,
      payment_collection: collection.id,
      payment_session: session.id,
      provider_id: session.provider_id,
      currency_code: session.currency_code,
      amount: session.amount,
      data: session.data,
      captured_at: alreadyCaptured ? now : null,
    });
    session.status = alreadyCaptured ? 'captured' : 'authorized';
    session.authorized_at = now;
    const captures: Capture[] = [];
    if (alreadyCaptured) {
      captures.push(
        em.create(Capture, {
          id: generateId(IdPrefix.capture),
          payment: payment.id,
          amount: session.amount,
          status: 'succeeded',
          source: 'provider',
          idempotency_key: providerMovementKey(payment.id, 'capture', session.amount),
        }),
      );
    }
    return { payment, captures };
  }

  /**
   * Captures part or all of a payment. The amount is reserved by a pending capture row under the
   * collection lock, the provider is called with no lock held, and the row is settled afterwards,
   * so concurrent captures can never together exceed what was authorized.
   */
  async capture(input: CapturePaymentInput): Promise<PaymentDTO> {
    const requested = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount');
    const payment = await this.paymentOrFail(input.payment_id);
    return this.moveMoney(Capture, payment, input.idempotency_key, {
      operation: 'capture a payment',
      event: PaymentEvents.CAPTURED,
      reserve: async (em) => {
        const locked = await em.findOneOrFail(Payment, { id: payment.id });
        if (locked.canceled_at) throw new TenderError('not_allowed', `Payment ${payment.id} is canceled and cannot be captured.`);
        const remaining = subtractAmounts(locked.amount, total(await em.find(Capture, { payment: payment.id }), RESERVING));
        if (compareAmounts(remaining, '0') <= 0) {
          throw new TenderError('not_allowed', `Payment ${payment.id} is already fully captured.`);
        }
        const amount = requested ?? remaining;
        if (compareAmounts(amount, remaining) > 0) {
          throw new TenderError(
            'invalid_data',
            `Cannot capture ${amount} on payment ${payment.id}: only ${remaining} is authorized and not yet captured.`,
            { details: { requested: amount, capturable: remaining } },
          );
        }
        return em.create(Capture, {
          ...pendingMovement(payment.id, amount, IdPrefix.capture, input.idempotency_key),
          created_by: input.captured_by ?? null,
        });
      },
      call: (provider, row) => provider.capturePayment(movementInput(payment, row)),
    });
  }

  /**
   * The shape every merchant-initiated capture and refund shares: reserve a pending row under the
   * collection lock (or find the one an earlier try with the same idempotency key left), call the
   * provider with no lock held, then settle the row as succeeded or failed.
   */
  private async moveMoney<Row extends Capture | Refund>(
    entity: typeof Capture | typeof Refund,
    payment: Payment,
    idempotencyKey: string | undefined,
    steps: {
      operation: string;
      event: string;
      reserve: (em: EntityManager) => Promise<Row>;
      call: (provider: PaymentProvider, row: Row) => Promise<PaymentDataOutput>;
    },
  ): Promise<PaymentDTO> {
    const reservation = await withCollectionLock(this.ctx.orm, payment.payment_collection, async (em) => {
      if (idempotencyKey) {
        const previous = (await em.findOne(entity as typeof Capture, { idempotency_key: idempotencyKey })) as Row | null;
        if (previous?.status === 'succeeded') return undefined;
        if (previous?.status === 'pending') return previous;
      }
      const row = await steps.reserve(em);
      await em.flush();
      return row;
    });
    if (!reservation) return this.retrieve(payment.id);

    const provider = await this.ctx.registry.instanceFor(payment.provider_id, payment.tenant);
    let providerData: Record<string, unknown> | undefined;
    try {
      providerData = (await callProvider(payment.provider_id, steps.operation, () => steps.call(provider, reservation))).data;
    } catch (error) {
      await this.settle(entity, reservation.id, payment, 'failed', undefined, error);
      throw error;
    }
    const dto = await this.settle(entity, reservation.id, payment, 'succeeded', providerData);
    await this.ctx.events.emit({
      name: steps.event,
      data: {
        id: payment.id,
        [entity === Capture ? 'capture_id' : 'refund_id']: reservation.id,
        amount: reservation.amount,
        payment_collection_id: payment.payment_collection,
      },
    });
    return dto;
  }

  /** Marks a pending capture/refund succeeded or failed, under the lock, and recomputes the collection. */
  private async settle(
    entity: typeof Capture | typeof Refund,
    rowId: string,
    payment: Payment,
    status: 'succeeded' | 'failed',
    providerData?: Record<string, unknown>,
    error?: unknown,
  ): Promise<PaymentDTO> {
    return withCollectionLock(this.ctx.orm, payment.payment_collection, async (em, collection) => {
      const row = await em.findOneOrFail(entity as typeof Capture, { id: rowId });
      row.status = status;
      if (error) {
        row.error = error instanceof Error ? error.message : String(error);
        // Free the key: a retry of the same operation reserves a new row and reaches the provider under
        // the same idempotency key, so a capture that did happen there is not made twice.
        row.idempotency_key = `${row.idempotency_key}#failed:${row.id}`;
      }
      const locked = await em.findOneOrFail(Payment, { id: payment.id });
      if (providerData) locked.data = { ...locked.data, ...providerData };
      await em.flush();
      if (entity === Capture && status === 'succeeded') {
        const captured = total(await em.find(Capture, { payment: payment.id }), ['succeeded']);
        if (compareAmounts(captured, locked.amount) >= 0 && !locked.captured_at) locked.captured_at = new Date();
        await em.nativeUpdate(PaymentSession, { id: locked.payment_session }, { status: 'captured' });
      }
      await recomputeCollection(em, collection);
      await em.flush();
      return this.dto(em, locked);
    });
  }

  /**
   * Records captures the provider reports it has already made (a webhook), without asking it to
   * capture again. Without a `reference` the amount is the provider's running total, so a repeated or
   * late event, or one for a capture Tender itself requested, adds nothing; with one, it is that one
   * capture's amount, recorded once per reference.
   */
  recordProviderCapture(paymentId: string, amount: AmountInput, options: { reference?: string } = {}) {
    return this.recordReported(Capture, paymentId, assertPositiveAmount(amount, 'captured amount'), options.reference, {
      event: PaymentEvents.CAPTURED,
      rules: CAPTURE_RULES,
    });
  }

  /** Refunds part of what was captured; the sum of refunds never exceeds the captured amount. */
  async refund(input: RefundPaymentInput): Promise<PaymentDTO> {
    const requested = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount');
    const payment = await this.paymentOrFail(input.payment_id);
    return this.moveMoney(Refund, payment, input.idempotency_key, {
      operation: 'refund a payment',
      event: PaymentEvents.REFUNDED,
      reserve: async (em) => {
        const captured = total(await em.find(Capture, { payment: payment.id }), ['succeeded']);
        const refunded = total(await em.find(Refund, { payment: payment.id }), RESERVING);
        const refundable = subtractAmounts(captured, refunded);
        if (compareAmounts(refundable, '0') <= 0) {
          throw new TenderError(
            'not_allowed',
            `Payment ${payment.id} has nothing left to refund (captured ${captured}, refunded ${refunded}).`,
          );
        }
        const amount = requested ?? refundable;
        if (compareAmounts(amount, refundable) > 0) {
          throw new TenderError(
            'invalid_data',
            `Cannot refund ${amount} on payment ${payment.id}: only ${refundable} is captured and not yet refunded.`,
            { details: { requested: amount, refundable } },
          );
        }
        return em.create(Refund, {
          ...pendingMovement(payment.id, amount, IdPrefix.refund, input.idempotency_key),
          refund_reason: input.refund_reason_id ?? null,
          note: input.note ?? null,
          created_by: input.created_by ?? null,
        });
      },
      call: (provider, row) => provider.refundPayment(movementInput(payment, row)),
    });
  }

  /** Records refunds the provider reports: its running total, or one refund when `reference` names it. */
  recordProviderRefund(paymentId: string, amount: AmountInput, options: { reference?: string } = {}) {
    return this.recordReported(Refund, paymentId, assertPositiveAmount(amount, 'refunded amount'), options.reference, {
      event: PaymentEvents.REFUNDED,
      rules: REFUND_RULES,
    });
  }

  /**
   * Records, under the collection lock, what a provider reports it has already captured or refunded:
   * at most what is left to capture or refund, once per running total or reference.
   */
  private async recordReported(
    entity: typeof Capture | typeof Refund,
    paymentId: string,
    reported: string,
    reference: string | undefined,
    options: { event: string; rules: ReportRules },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    const payment = await this.paymentOrFail(paymentId);
    const result = await withCollectionLock(this.ctx.orm, payment.payment_collection, async (em, collection) => {
      const locked = await em.findOneOrFail(Payment, { id: paymentId });
      const { recorded } = await this.applyReported(em, entity, locked, reported, { reference, rules: options.rules });
      await recomputeCollection(em, collection);
      await em.flush();
      return { recorded, payment: await this.dto(em, locked) };
    });
    if (result.recorded !== '0') {
      await this.ctx.events.emit({
        name: options.event,
        data: { id: paymentId, amount: result.recorded, payment_collection_id: payment.payment_collection, source: 'provider' },
      });
    }
    return result;
  }

  /**
   * The part of a provider report not yet recorded, written as one succeeded row. Runs inside the
   * collection lock; `rows` are the payment's existing rows of that kind when the caller already has them.
   */
  private async applyReported(
    em: EntityManager,
    entity: typeof Capture | typeof Refund,
    locked: Payment,
    reported: string,
    options: { reference?: string; rows?: Capture[]; rules: ReportRules },
  ): Promise<{ recorded: string; created: Capture[] }> {
    const kind = entity === Capture ? 'capture' : 'refund';
    const { reference, rules } = options;
    const rows: { amount: string; status: string; idempotency_key: string }[] =
      options.rows ?? (await em.find(entity as typeof Capture, { payment: locked.id }));
    const key = providerMovementKey(locked.id, kind, reported, reference);
    const known = total(rows, RESERVING);
    const room = await rules.room(em, locked, known);
    if (compareAmounts(reported, addAmounts(known, room)) > 0 && !reference) {
      this.ctx.logger.warn(
        { payment_id: locked.id, kind, reported, limit: addAmounts(known, room) },
        'provider reports more than Tender can record',
      );
    }
    const recorded = rows.some((r) => r.idempotency_key === key) ? '0' : unrecordedAmount(reported, known, room, reference);
    const created: Capture[] = [];
    if (recorded !== '0') {
      created.push(
        em.create(entity as typeof Capture, {
          id: generateId(entity === Capture ? IdPrefix.capture : IdPrefix.refund),
          payment: locked.id,
          amount: recorded,
          status: 'succeeded',
          source: 'provider',
          idempotency_key: key,
        }),
      );
    }
    await rules.after?.(em, locked, addAmounts(total(rows, ['succeeded']), recorded));
    return { recorded, created };
  }

  /** Cancels an authorized payment that has not been captured; canceling twice is a no-op. */
  async cancel(paymentId: string): Promise<PaymentDTO> {
    const payment = await this.paymentOrFail(paymentId);
    if (payment.canceled_at) return this.retrieve(paymentId);
    const captures = await this.ctx.orm.em.fork().find(Capture, { payment: paymentId });
    if (compareAmounts(total(captures, RESERVING), '0') > 0) {
      throw new TenderError('not_allowed', `Payment ${paymentId} has captures; refund it instead of canceling.`);
    }
    const provider = await this.ctx.registry.instanceFor(payment.provider_id, payment.tenant);
    const result = await callProvider(payment.provider_id, 'cancel a payment', () =>
      provider.cancelPayment({ data: payment.data, context: { idempotency_key: `${paymentId}:cancel`, tenant: payment.tenant } }),
    );
    const dto = await withCollectionLock(this.ctx.orm, payment.payment_collection, async (em, collection) => {
      const locked = await em.findOneOrFail(Payment, { id: paymentId });
      const lockedCaptures = await em.find(Capture, { payment: paymentId });
      if (compareAmounts(total(lockedCaptures, RESERVING), '0') > 0) {
        throw new TenderError('conflict', `Payment ${paymentId} was captured while it was being canceled.`);
      }
      if (!locked.canceled_at) locked.canceled_at = new Date();
      locked.data = { ...locked.data, ...result.data };
      await em.nativeUpdate(PaymentSession, { id: locked.payment_session }, { status: 'canceled' });
      await em.flush();
      await recomputeCollection(em, collection);
      await em.flush();
      return this.dto(em, locked);
    });
    await this.ctx.events.emit({
      name: PaymentEvents.CANCELED,
      data: { id: paymentId, payment_collection_id: payment.payment_collection },
    });
    return dto;
  }
}
