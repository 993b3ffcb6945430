import type { EntityDictionary } from '@mikro-orm/core';
import {
  assertPositiveAmount,
  compareAmounts,
  normalizeAmount,
  type PaymentDataOutput,
  type PaymentProvider,
  subtractAmounts,
  TenderError,
} from '@tender/core';
import type { SqlExecutor } from '../database/prepared-sql.js';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { Payment } from '../models/index.js';
import { finishMovementSql, insertPendingMovementSql, type MovementTable, movementStateSql } from '../sql/capture-refund.js';
import { REFUND_REASON_EXISTS_SQL } from '../sql/refund-reason.js';
import { recomputeCollectionRow } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { assertKnownKeys } from './list-options.js';
import { withLockedCollectionRow, withLockedPayment } from './locking.js';
import { assertSameRequest, CAPTURE_FIELDS, type MovementRequest, movementRequest, REFUND_FIELDS } from './movement-requests.js';
import { paymentDTO, retrievePayment } from './payment-loader.js';
import type { CapturePaymentInput, RefundPaymentInput } from './payments.js';
import { callProvider } from './provider-call.js';

/** A payment's row as `movementStateSql` reads it: the payment's columns, what its rows hold, and an earlier call's row. */
interface MovementState {
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

/** What differs between a merchant capture and a merchant refund. */
interface MovementSteps {
  operation: string;
  event: string;
  /** What to reserve, or undefined when there is nothing to do. */
  reserve: (db: SqlExecutor, payment: Payment, state: MovementState) => Promise<PendingMovement | undefined>;
  call: (provider: PaymentProvider, payment: Payment, row: ReservedMovement) => Promise<PaymentDataOutput>;
}

/**
 * What the provider is asked to capture or refund: the row's amount under a key scoped to the payment and
 * operation, so one merchant key used on two payments is two keys at the gateway.
 */
function movementInput(payment: Payment, row: { amount: string; idempotency_key: string }, kind: MovementTable) {
  return {
    data: payment.data,
    amount: row.amount,
    currency_code: payment.currency_code,
    context: { idempotency_key: `${payment.id}:${kind}:${row.idempotency_key}`, tenant: payment.tenant },
  };
}

/** The domain event of a succeeded merchant capture or refund. */
function movementEvent(table: MovementTable, name: string, payment: Payment, row: ReservedMovement): NewDomainEvent {
  return {
    name,
    tenant: payment.tenant,
    data: {
      id: payment.id,
      [table === 'capture' ? 'capture_id' : 'refund_id']: row.id,
      amount: row.amount,
      payment_collection_id: payment.payment_collection,
    },
  };
}

/**
 * A merchant's capture and refund (`capturePayment`, `refundPayment`): reserve a pending row under the
 * collection lock (or find the one an earlier try with the same idempotency key left), call the provider
 * with no lock held, then finish the row as succeeded or failed. Concurrent calls can never together
 * exceed what was authorized (captures) or captured (refunds).
 */
export class MerchantMovements {
  constructor(private readonly ctx: ServiceContext) {}

  /** Captures part or all of a payment. */
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

  /** Reserves the row, calls the provider with no lock held, and finishes the row with the provider's answer. */
  private async moveMoney(
    table: MovementTable,
    paymentId: string,
    request: MovementRequest,
    steps: MovementSteps,
  ): Promise<PaymentDTO> {
    const { payment, reservation } = await this.reserve(table, paymentId, request, steps);
    if (!reservation) return retrievePayment(this.ctx.orm, paymentId);

    const provider = await this.ctx.registry.instanceFor(payment.provider_id, payment.tenant);
    let providerData: Record<string, unknown> | undefined;
    try {
      providerData = (await callProvider(payment.provider_id, steps.operation, () => steps.call(provider, payment, reservation)))
        .data;
    } catch (error) {
      await this.finishMovement(table, reservation.id, payment, 'failed', undefined, error);
      throw error;
    }
    // The event commits with the finished row, under the same lock.
    const event = movementEvent(table, steps.event, payment, reservation);
    return this.finishMovement(table, reservation.id, payment, 'succeeded', providerData, undefined, [event]);
  }

  /**
   * Under the collection lock: the pending row an earlier call with the same key left, or a new one for what
   * `steps.reserve` allows; no reservation when there is nothing to do (or the earlier call finished).
   */
  private reserve(
    table: MovementTable,
    paymentId: string,
    request: MovementRequest,
    steps: MovementSteps,
  ): Promise<{ payment: Payment; reservation: ReservedMovement | undefined }> {
    return withLockedPayment(this.ctx.orm, paymentId, async (db) => {
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
  }

  /** Finishes a pending capture/refund as succeeded or failed, under the lock, and recomputes the collection. */
  private async finishMovement(
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
      return paymentDTO(this.ctx.orm, db, this.ctx.orm.em.fork().map(Payment, row!));
    });
  }
}
