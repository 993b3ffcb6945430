import type { EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AmountInput,
  addAmounts,
  assertPositiveAmount,
  compareAmounts,
  normalizeAmount,
  type PaymentDataOutput,
  type PaymentProvider,
  subtractAmounts,
  TenderError,
} from '@tender/core';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { selectEntity } from '../database/select-entities.js';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { Capture, Payment, PaymentSession, Refund } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { finishMovementSql, insertPendingMovementSql, type MovementTable, movementStateSql } from '../sql/capture-refund.js';
import { PAYMENT_BY_ID_SQL } from '../sql/payment.js';
import { REFUND_REASON_EXISTS_SQL } from '../sql/refund-reason.js';
import { recomputeCollection, recomputeCollectionRow } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { assertKnownKeys } from './list-options.js';
import { withCollectionLock, withLockedCollectionRow, withLockedPayment } from './locking.js';
import { assertSameRequest, CAPTURE_FIELDS, type MovementRequest, movementRequest, REFUND_FIELDS } from './movement-requests.js';
import { captureState, RESERVING, reportedShare, total } from './movements.js';
import { loadPayments } from './payment-loader.js';
import { callProvider } from './provider-call.js';
import type { StatusReader } from './status-reader.js';
import { assertOwnSession, gatewayCanBeAsked, ProviderContradictsWebhookError, type WebhookClaim } from './webhook-trust.js';

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

/** A payment's row as `movementStateSql` reads it: the payment's columns, what its rows hold, and an earlier call's row. */
export interface MovementState {
  /** Captures: succeeded ones. Refunds: the payment's succeeded captures (what may be refunded). */
  captured: string;
  /** Pending and succeeded rows of the table: what they reserve. */
  reserved: string;
  /** The row an earlier call left under the same idempotency key. */
  previous: { id: string; status: string; amount: string; idempotency_key: string; request_fingerprint: string | null } | null;
}

/** What a merchant capture or refund reserves: its amount, and the columns of its table besides the shared ones. */
interface PendingMovement {
  amount: string;
  /** created_by, then for refunds refund_reason_id and note. */
  columns: unknown[];
}

/** A reserved row, as the provider call needs it. */
interface ReservedMovement {
  id: string;
  amount: string;
  idempotency_key: string;
}

/**
 * What the provider is asked to capture or refund: the row's amount under a key scoped to the payment and
 * operation, so one merchant key used on two payments is two keys at the gateway.
 */
function movementInput(payment: Payment, row: { amount: string; idempotency_key: string }, kind: 'capture' | 'refund') {
  return {
    data: payment.data,
    amount: row.amount,
    currency_code: payment.currency_code,
    context: { idempotency_key: `${payment.id}:${kind}:${row.idempotency_key}`, tenant: payment.tenant },
  };
}

/** What bounds a provider-reported movement, and what it changes besides its own row. */
interface ReportRules {
  /** The most the payment's rows of this kind may total. */
  ceiling: (em: EntityManager, locked: Payment) => Promise<string>;
  after?: (em: EntityManager, locked: Payment, succeeded: string) => Promise<void>;
}

const CAPTURE_RULES: ReportRules = {
  ceiling: async (_em, locked) => locked.amount,
  after: async (em, locked, succeeded) => {
    const state = captureState(locked.amount, succeeded);
    if (state.full && !locked.captured_at) locked.captured_at = new Date();
    if (state.any) {
      const session = await em.findOneOrFail(PaymentSession, { id: locked.payment_session });
      session.status = 'captured';
    }
  },
};

const REFUND_RULES: ReportRules = {
  ceiling: async (em, locked) => total(await em.find(Capture, { payment: locked.id }), ['succeeded']),
};

export class PaymentOperations {
  /** `statuses`: the gateway status calls, capped, shared with the authorizer. */
  constructor(
    private readonly ctx: ServiceContext,
    private readonly statuses: StatusReader,
  ) {}

  private async paymentOrFail(id: string): Promise<Payment> {
    const payment = await selectEntity(this.ctx.orm.em.fork(), Payment, PAYMENT_BY_ID_SQL, [id]);
    if (!payment) throw new TenderError('not_found', `Payment ${id} was not found.`);
    return payment;
  }

  /** The payment's DTO, its captures and refunds read through `db` (the caller's transaction, when it holds one). */
  private async dto(db: SqlExecutor, payment: Payment): Promise<PaymentDTO> {
    const [dto] = await loadPayments(db, this.ctx.orm.em.fork(), [payment]);
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
    return loadPayments(em, em, await em.find(Payment, where, { orderBy: { created_at: 'asc' }, limit: 500 }));
  }

  /**
   * Captures part or all of a payment. The amount is reserved by a pending capture row under the
   * collection lock, the provider is called with no lock held, and the row is settled afterwards,
   * so concurrent captures can never together exceed what was authorized.
   */
  async capture(input: CapturePaymentInput): Promise<PaymentDTO> {
    assertKnownKeys(input, CAPTURE_FIELDS, 'capture field');
    const requested = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount');
    const request = movementRequest(input.idempotency_key, ['capture', requested, input.captured_by]);
    return this.moveMoney('capture', input.payment_id, request, {
      operation: 'capture a payment',
      event: PaymentEvents.CAPTURED,
      reserve: async (_em, payment, state) => {
        if (payment.canceled_at)
          throw new TenderError('not_allowed', `Payment ${payment.id} is canceled and cannot be captured.`);
        const remaining = subtractAmounts(payment.amount, state.reserved);
        // "Capture the rest" of a payment with nothing left is done already: a retry must not fail.
        if (compareAmounts(remaining, '0') <= 0 && requested === undefined) return undefined;
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
        return { amount, columns: [input.captured_by ?? null] };
      },
      call: (provider, payment, row) => provider.capturePayment(movementInput(payment, row, 'capture')),
    });
  }

  /**
   * The shape every merchant-initiated capture and refund shares: reserve a pending row under the
   * collection lock (or find the one an earlier try with the same idempotency key left), call the
   * provider with no lock held, then settle the row as succeeded or failed.
   */
  private async moveMoney(
    table: MovementTable,
    paymentId: string,
    request: MovementRequest,
    steps: {
      operation: string;
      event: string;
      /** What to reserve, or undefined when there is nothing to do. */
      reserve: (db: SqlExecutor, payment: Payment, state: MovementState) => Promise<PendingMovement | undefined>;
      call: (provider: PaymentProvider, payment: Payment, row: ReservedMovement) => Promise<PaymentDataOutput>;
    },
  ): Promise<PaymentDTO> {
    const { payment, reservation } = await withLockedPayment(this.ctx.orm, paymentId, async (db) => {
      const [row] = await db.execute<(EntityDictionary<Payment> & MovementState)[]>(movementStateSql(table), [
        request.key ?? null,
        paymentId,
      ]);
      const { captured, reserved, previous, ...columns } = row!;
      const payment = this.ctx.orm.em.fork().map(Payment, columns);
      if (previous) {
        assertSameRequest(previous, request, steps.operation);
        return { payment, reservation: previous.status === 'pending' ? previous : undefined };
      }
      const pending = await steps.reserve(db, payment, { captured, reserved, previous });
      if (!pending) return { payment, reservation: undefined };
      const id = generateId(table === 'capture' ? IdPrefix.capture : IdPrefix.refund);
      const reservation = { id, amount: pending.amount, idempotency_key: request.key ?? id };
      await db.execute(
        insertPendingMovementSql(table),
        [id, paymentId, reservation.amount, reservation.idempotency_key, request.fingerprint, ...pending.columns],
        'run',
      );
      return { payment, reservation };
    });
    if (!reservation) return this.retrieve(paymentId);

    const provider = await this.ctx.registry.instanceFor(payment.provider_id, payment.tenant);
    let providerData: Record<string, unknown> | undefined;
    try {
      providerData = (await callProvider(payment.provider_id, steps.operation, () => steps.call(provider, payment, reservation)))
        .data;
    } catch (error) {
      await this.settle(table, reservation.id, payment, 'failed', undefined, error);
      throw error;
    }
    // The event commits with the settled row, under the same lock.
    const event: NewDomainEvent = {
      name: steps.event,
      tenant: payment.tenant,
      data: {
        id: payment.id,
        [table === 'capture' ? 'capture_id' : 'refund_id']: reservation.id,
        amount: reservation.amount,
        payment_collection_id: payment.payment_collection,
      },
    };
    return this.settle(table, reservation.id, payment, 'succeeded', providerData, undefined, [event]);
  }

  /** Marks a pending capture/refund succeeded or failed, under the lock, and recomputes the collection. */
  private async settle(
    table: MovementTable,
    rowId: string,
    payment: Payment,
    status: 'succeeded' | 'failed',
    providerData?: Record<string, unknown>,
    error?: unknown,
    events: NewDomainEvent[] = [],
  ): Promise<PaymentDTO> {
    return withLockedCollectionRow(this.ctx.orm, payment.payment_collection, async (db, collection) => {
      const message = error === undefined ? null : error instanceof Error ? error.message : String(error);
      const [row] = await db.execute<EntityDictionary<Payment>[]>(finishMovementSql(table), [
        status,
        message,
        error !== undefined,
        rowId,
        JSON.stringify(providerData ?? {}),
        payment.id,
      ]);
      await recomputeCollectionRow(db, collection, events);
      return this.dto(db, this.ctx.orm.em.fork().map(Payment, row!));
    });
  }

  /**
   * Records captures the provider reports it has already made (a webhook), without asking it to
   * capture again. Without a `reference` the amount is the provider's running total, so a repeated or
   * late event, or one for a capture Tender itself requested, adds nothing; with one, it is that one
   * capture's amount, recorded once per reference.
   *
   * `webhook`: the capture is a webhook's claim. It applies only to a payment of the webhook's own provider
   * and tenant, and where the gateway can be asked, only for what the gateway itself reports as captured.
   */
  async recordProviderCapture(
    paymentId: string,
    amount: AmountInput,
    options: { reference?: string; webhook?: WebhookClaim } = {},
  ) {
    const claimed = assertPositiveAmount(amount, 'captured amount');
    const payment = await this.paymentOrFail(paymentId);
    const reported = options.webhook ? await this.confirmedCapture(payment, claimed, options) : claimed;
    return this.recordReported(Capture, payment, reported, options.reference, {
      event: PaymentEvents.CAPTURED,
      rules: CAPTURE_RULES,
      webhook: options.webhook,
    });
  }

  /**
   * What a webhook's capture may record: where the gateway has a status call, its own running total (asked
   * with no lock held); a gateway that says the payment is not captured contradicts the webhook.
   */
  private async confirmedCapture(
    payment: Payment,
    claimed: string,
    options: { reference?: string; webhook?: WebhookClaim },
  ): Promise<string> {
    assertOwnSession({ ...payment, id: payment.payment_session }, options.webhook);
    const provider = await this.ctx.registry.instanceFor(payment.provider_id, payment.tenant);
    if (!gatewayCanBeAsked(provider, payment.data)) return claimed;
    const state = await this.statuses.read(payment.provider_id, provider, {
      data: payment.data,
      context: { tenant: payment.tenant },
    });
    if (state.status !== 'captured') {
      throw new ProviderContradictsWebhookError(payment.payment_session, state.status, 'captured');
    }
    if (options.reference || state.captured_amount === undefined) return claimed;
    return compareAmounts(state.captured_amount, '0') > 0 ? state.captured_amount : claimed;
  }

  /** Refunds part of what was captured; the sum of refunds never exceeds the captured amount. */
  async refund(input: RefundPaymentInput): Promise<PaymentDTO> {
    assertKnownKeys(input, REFUND_FIELDS, 'refund field');
    const requested = input.amount === undefined ? undefined : assertPositiveAmount(input.amount, 'amount');
    const request = movementRequest(input.idempotency_key, [
      'refund',
      requested,
      input.refund_reason_id,
      input.note,
      input.created_by,
    ]);
    return this.moveMoney('refund', input.payment_id, request, {
      operation: 'refund a payment',
      event: PaymentEvents.REFUNDED,
      reserve: async (db, payment, state) => {
        if (
          input.refund_reason_id &&
          (await db.execute<unknown[]>(REFUND_REASON_EXISTS_SQL, [input.refund_reason_id])).length === 0
        ) {
          throw new TenderError('not_found', `Refund reason ${input.refund_reason_id} was not found.`);
        }
        const { captured, reserved: refunded } = state;
        const refundable = subtractAmounts(captured, refunded);
        if (compareAmounts(refundable, '0') <= 0) {
          throw new TenderError(
            'not_allowed',
            `Payment ${payment.id} has nothing left to refund (captured ${normalizeAmount(captured)}, refunded ${normalizeAmount(refunded)}).`,
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
        return { amount, columns: [input.created_by ?? null, input.refund_reason_id ?? null, input.note ?? null] };
      },
      call: (provider, payment, row) => provider.refundPayment(movementInput(payment, row, 'refund')),
    });
  }

  /**
   * Records refunds the provider reports: its running total, or one refund when `reference` names it.
   * `webhook`: the refund is a webhook's claim, applied only to a payment of the webhook's own provider and tenant.
   */
  async recordProviderRefund(
    paymentId: string,
    amount: AmountInput,
    options: { reference?: string; webhook?: WebhookClaim } = {},
  ) {
    const refunded = assertPositiveAmount(amount, 'refunded amount');
    return this.recordReported(Refund, await this.paymentOrFail(paymentId), refunded, options.reference, {
      event: PaymentEvents.REFUNDED,
      rules: REFUND_RULES,
      webhook: options.webhook,
    });
  }

  /**
   * Records, under the collection lock, what a provider reports it has already captured or refunded:
   * at most what is left to capture or refund, once per running total or reference.
   */
  private async recordReported(
    entity: typeof Capture | typeof Refund,
    payment: Payment,
    reported: string,
    reference: string | undefined,
    options: { event: string; rules: ReportRules; webhook?: WebhookClaim },
  ): Promise<{ recorded: string; payment: PaymentDTO }> {
    const paymentId = payment.id;
    const result = await withCollectionLock(this.ctx.orm, payment.payment_collection, async (em, collection) => {
      const locked = await em.findOneOrFail(Payment, { id: paymentId });
      assertOwnSession({ ...locked, id: locked.payment_session }, options.webhook);
      const recorded = await this.applyReported(em, entity, locked, reported, { reference, rules: options.rules });
      await recomputeCollection(em, collection);
      await em.flush();
      if (recorded !== '0') {
        await writeOutboxEvents(em, [
          {
            name: options.event,
            tenant: payment.tenant,
            data: { id: paymentId, amount: recorded, payment_collection_id: payment.payment_collection, source: 'provider' },
          },
        ]);
      }
      return { recorded, payment: await this.dto(em, locked) };
    });
    return result;
  }

  /** The part of a provider report not yet recorded, written as one succeeded row. Runs inside the collection lock. */
  private async applyReported(
    em: EntityManager,
    entity: typeof Capture | typeof Refund,
    locked: Payment,
    reported: string,
    options: { reference?: string; rules: ReportRules },
  ): Promise<string> {
    const kind = entity === Capture ? 'capture' : 'refund';
    const { reference, rules } = options;
    const rows: { amount: string; status: string; idempotency_key: string }[] = await em.find(entity as typeof Capture, {
      payment: locked.id,
    });
    const ceiling = await rules.ceiling(em, locked);
    const { recorded, key, over } = reportedShare(locked.id, kind, rows, reported, ceiling, reference);
    if (over) {
      this.ctx.logger.warn(
        { payment_id: locked.id, kind, reported, limit: ceiling },
        'provider reports more than Tender can record',
      );
    }
    if (recorded !== '0') {
      em.create(entity as typeof Capture, {
        id: generateId(entity === Capture ? IdPrefix.capture : IdPrefix.refund),
        payment: locked.id,
        amount: recorded,
        status: 'succeeded',
        source: 'provider',
        idempotency_key: key,
      });
    }
    await rules.after?.(em, locked, addAmounts(total(rows, ['succeeded']), recorded));
    return recorded;
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
      await writeOutboxEvents(em, [
        {
          name: PaymentEvents.CANCELED,
          tenant: payment.tenant,
          data: { id: paymentId, payment_collection_id: payment.payment_collection },
        },
      ]);
      return this.dto(em, locked);
    });
    return dto;
  }
}
