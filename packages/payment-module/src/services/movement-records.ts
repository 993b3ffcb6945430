import type { EntityManager } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import { Capture, Payment, PaymentSession, Refund } from '../models/index.js';
import { recomputeCollection } from './collection-state.js';
import type { ServiceContext } from './context.js';
import { type CaptureDTO, type RefundDTO, toCaptureDTO, toRefundDTO } from './dto.js';
import { applySelect, checkConfig, checkFilters, type EntityShape, type FindConfig, orderBy, whereOf } from './list-options.js';
import { withCollectionLock } from './locking.js';
import { captureState, total } from './movements.js';

const CAPTURE_FIELDS = ['id', 'payment_id', 'amount', 'status', 'source', 'created_by', 'created_at'];

export const CAPTURE_SHAPE: EntityShape<never> = {
  name: 'capture',
  fields: CAPTURE_FIELDS,
  filters: ['id', 'payment_id', 'status', 'source'],
  sortable: ['id', 'created_at', 'amount'],
  relations: [],
  properties: { payment_id: 'payment' },
};

export const REFUND_SHAPE: EntityShape<never> = {
  name: 'refund',
  fields: [...CAPTURE_FIELDS, 'refund_reason_id', 'note'],
  filters: ['id', 'payment_id', 'status', 'source', 'refund_reason_id'],
  sortable: ['id', 'created_at', 'amount'],
  relations: [],
  properties: { payment_id: 'payment', refund_reason_id: 'refund_reason' },
};

export interface ListMovementsFilter {
  id?: string | string[];
  payment_id?: string | string[];
  status?: string | string[];
  source?: string | string[];
  refund_reason_id?: string | string[];
}

type MovementEntity = typeof Capture | typeof Refund;

/** Captures and refunds as records: Medusa's `listCaptures`, `listRefunds`, `deleteCaptures`, `deleteRefunds`. */
export class MovementRecords {
  constructor(private readonly ctx: ServiceContext) {}

  async listCaptures(filter: ListMovementsFilter = {}, config: FindConfig<never> = {}): Promise<CaptureDTO[]> {
    const rows = await this.list(Capture, CAPTURE_SHAPE, filter, config);
    return rows.map((r) => applySelect(toCaptureDTO(r as Capture), checkConfig(CAPTURE_SHAPE, config)));
  }

  async listRefunds(filter: ListMovementsFilter = {}, config: FindConfig<never> = {}): Promise<RefundDTO[]> {
    const rows = await this.list(Refund, REFUND_SHAPE, filter, config);
    return rows.map((r) => applySelect(toRefundDTO(r as Refund), checkConfig(REFUND_SHAPE, config)));
  }

  /**
   * Removes capture records (Medusa uses this to undo a capture its provider refused). The payment's and
   * collection's amounts follow from the rows that remain. A capture whose provider call is still in flight
   * cannot be removed: finishing it would find no row.
   */
  deleteCaptures(ids: string[]): Promise<void> {
    return this.delete(Capture, 'capture', ids);
  }

  /** Removes refund records, like `deleteCaptures`. */
  deleteRefunds(ids: string[]): Promise<void> {
    return this.delete(Refund, 'refund', ids);
  }

  private async list(entity: MovementEntity, shape: EntityShape<never>, filter: ListMovementsFilter, config: FindConfig<never>) {
    checkFilters(shape, filter);
    const checked = checkConfig(shape, config);
    return this.ctx.orm.em.fork().find(entity as typeof Capture, whereOf(shape, filter), {
      orderBy: orderBy(checked, shape),
      limit: checked.take,
      offset: checked.skip,
    });
  }

  private async delete(entity: MovementEntity, kind: 'capture' | 'refund', ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const em = this.ctx.orm.em.fork();
    const rows = await em.find(entity as typeof Capture, { id: { $in: unique } });
    const payments = await em.find(Payment, { id: { $in: [...new Set(rows.map((r) => r.payment))] } });
    for (const payment of payments) {
      const mine = rows.filter((r) => r.payment === payment.id).map((r) => r.id);
      await withCollectionLock(this.ctx.orm, payment.payment_collection, async (locked, collection) => {
        const current = await locked.find(entity as typeof Capture, { id: { $in: mine } });
        const pending = current.find((r) => r.status === 'pending');
        if (pending) {
          throw new TenderError(
            'conflict',
            `The ${kind} ${pending.id} is in progress at the provider and cannot be deleted now.`,
          );
        }
        await locked.nativeDelete(entity as typeof Capture, { id: { $in: mine } });
        if (entity === Capture) await this.afterCapturesRemoved(locked, payment.id);
        await recomputeCollection(locked, collection);
        await locked.flush();
      });
    }
  }

  /** The payment's `captured_at` and its session's status, as the captures that remain say. */
  private async afterCapturesRemoved(em: EntityManager, paymentId: string): Promise<void> {
    const payment = await em.findOneOrFail(Payment, { id: paymentId });
    const state = captureState(payment.amount, total(await em.find(Capture, { payment: paymentId }), ['succeeded']));
    if (!state.full) payment.captured_at = null;
    if (!state.any && !payment.canceled_at) {
      await em.nativeUpdate(PaymentSession, { id: payment.payment_session, status: 'captured' }, { status: 'authorized' });
    }
  }
}
