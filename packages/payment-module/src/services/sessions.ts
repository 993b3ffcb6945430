import type { EntityDictionary } from '@mikro-orm/core';
import {
  type AmountInput,
  assertPositiveAmount,
  type PaymentSessionStatus,
  type ProviderContext,
  SETTLED_SESSION_STATUSES,
  TenderError,
} from '@tender/core';
import { selectEntities, selectEntity } from '../database/select-entities.js';
import { type NewDomainEvent, PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { Payment, PaymentCollection, PaymentSession } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { COLLECTION_BY_ID_SQL } from '../sql/payment-collection.js';
import { INSERT_SESSION_SQL, SESSION_BY_ID_SQL, sessionsByIdSql } from '../sql/payment-session.js';
import { type CollectionRowsSummary, recomputeCollection, storeCollectionTotals, totalsFrom } from './collection-state.js';
import type { ServiceContext } from './context.js';
import { type PaymentSessionDTO, toSessionDTO } from './dto.js';
import { assertKnownKeys } from './list-options.js';
import { withCollectionLock, withLockedCollectionRow } from './locking.js';
import { callProvider } from './provider-call.js';
import { assertOwnSession, type WebhookClaim } from './webhook-trust.js';

export interface CreatePaymentSessionInput {
  provider_id: string;
  amount: AmountInput;
  currency_code: string;
  data?: Record<string, unknown>;
  context?: ProviderContext;
  metadata?: Record<string, unknown>;
}

const CREATE_FIELDS = ['provider_id', 'amount', 'currency_code', 'data', 'context', 'metadata'];
const UPDATE_FIELDS = ['id', 'amount', 'currency_code', 'data', 'metadata'];

export interface UpdatePaymentSessionInput {
  id: string;
  amount?: AmountInput;
  currency_code?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** Webhook statuses that are a payment event of their own besides payment_session.updated. */
const EVENT_FOR_STATUS: Partial<Record<string, string>> = { error: PaymentEvents.FAILED, canceled: PaymentEvents.CANCELED };

/** The events a webhook's session status change causes. */
function statusEvents(id: string, collectionId: string, tenant: string, status: string): NewDomainEvent[] {
  const named = EVENT_FOR_STATUS[status];
  return [
    { name: PaymentEvents.SESSION_UPDATED, tenant, payment_collection_id: collectionId, data: { id, status } },
    ...(named ? [{ name: named, tenant, data: { session_id: id, payment_collection_id: collectionId } }] : []),
  ];
}

export class SessionOperations {
  constructor(private readonly ctx: ServiceContext) {}

  async retrieve(id: string): Promise<PaymentSessionDTO> {
    const session = await selectEntity(this.ctx.orm.em.fork(), PaymentSession, SESSION_BY_ID_SQL, [id]);
    if (!session) throw new TenderError('not_found', `Payment session ${id} was not found.`);
    return toSessionDTO(session);
  }

  async retrieveMany(ids: string[]): Promise<PaymentSessionDTO[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const sessions = await selectEntities(this.ctx.orm.em.fork(), PaymentSession, sessionsByIdSql(unique.length), unique);
    return sessions.map(toSessionDTO);
  }

  async list(
    filter: { payment_collection_id?: string; provider_id?: string; status?: string } = {},
  ): Promise<PaymentSessionDTO[]> {
    const where: Record<string, unknown> = { deleted_at: null };
    if (filter.payment_collection_id) where.payment_collection = filter.payment_collection_id;
    if (filter.provider_id) where.provider_id = filter.provider_id;
    if (filter.status) where.status = filter.status;
    const rows = await this.ctx.orm.em.fork().find(PaymentSession, where, { orderBy: { created_at: 'asc' }, limit: 500 });
    return rows.map(toSessionDTO);
  }

  /**
   * The provider session is created first (keyed by the new session's id, so a retry reuses it) and the
   * row second; when the row cannot be written the provider session is deleted, so none is orphaned.
   */
  async create(collectionId: string, input: CreatePaymentSessionInput): Promise<PaymentSessionDTO> {
    assertKnownKeys(input, CREATE_FIELDS, 'payment session field');
    const amount = assertPositiveAmount(input.amount, 'amount');
    const registered = this.ctx.registry.get(input.provider_id);
    const collection = await selectEntity(this.ctx.orm.em.fork(), PaymentCollection, COLLECTION_BY_ID_SQL, [collectionId]);
    if (!collection) throw new TenderError('not_found', `Payment collection ${collectionId} was not found.`);
    if (!input.currency_code || input.currency_code.toLowerCase() !== collection.currency_code) {
      throw new TenderError(
        'invalid_data',
        `Session currency "${input.currency_code}" does not match the collection's "${collection.currency_code}".`,
      );
    }
    const id = generateId(IdPrefix.session);
    const provider = await this.ctx.registry.instanceFor(registered.id, collection.tenant);
    const context: ProviderContext = { ...input.context, idempotency_key: id, tenant: collection.tenant };
    const initiated = await callProvider(registered.id, 'initiate a payment', () =>
      provider.initiatePayment({ amount, currency_code: collection.currency_code, session_id: id, data: input.data, context }),
    );
    try {
      return await withLockedCollectionRow(this.ctx.orm, collectionId, async (db, locked) => {
        const status = initiated.status ?? 'pending';
        const [row] = await db.execute<(CollectionRowsSummary & Record<string, unknown>)[]>(INSERT_SESSION_SQL, [
          id,
          locked.tenant,
          locked.id,
          registered.id,
          locked.currency_code,
          amount,
          status,
          JSON.stringify({ ...initiated.data, id: initiated.id }),
          input.context ? JSON.stringify(input.context) : null,
          input.metadata ? JSON.stringify(input.metadata) : null,
        ]);
        const { session_statuses, authorized_amount, has_canceled_payment, captured_amount, refunded_amount, ...columns } = row!;
        // The summary was read by the INSERT's own statement, so it does not hold the new session yet.
        const summary = { authorized_amount, has_canceled_payment, captured_amount, refunded_amount };
        const totals = totalsFrom(locked.amount, { ...summary, session_statuses: [...session_statuses, status] });
        await storeCollectionTotals(db, locked.id, totals);
        return toSessionDTO(this.ctx.orm.em.fork().map(PaymentSession, columns as EntityDictionary<PaymentSession>));
      });
    } catch (error) {
      await callProvider(registered.id, 'delete an orphaned payment', () =>
        provider.deletePayment({ data: { ...initiated.data, id: initiated.id }, context }),
      ).catch((cleanupError) =>
        this.ctx.logger.error(
          { err: cleanupError, session_id: id, provider_id: registered.id },
          'could not delete provider session after a failed write',
        ),
      );
      throw error;
    }
  }

  async update(input: UpdatePaymentSessionInput): Promise<PaymentSessionDTO> {
    assertKnownKeys(input, UPDATE_FIELDS, 'payment session field');
    const em = this.ctx.orm.em.fork();
    const current = await em.findOne(PaymentSession, { id: input.id, deleted_at: null });
    if (!current) throw new TenderError('not_found', `Payment session ${input.id} was not found.`);
    if ((SETTLED_SESSION_STATUSES as string[]).includes(current.status)) {
      throw new TenderError('not_allowed', `Payment session ${input.id} is ${current.status} and can no longer be updated.`);
    }
    const amount = input.amount === undefined ? current.amount : assertPositiveAmount(input.amount, 'amount');
    // The session's currency is its collection's: the collection's totals add session amounts as they are.
    const currency = (input.currency_code ?? current.currency_code).toLowerCase();
    if (currency !== current.currency_code) {
      throw new TenderError(
        'invalid_data',
        `Session currency "${input.currency_code}" does not match the collection's "${current.currency_code}".`,
      );
    }
    const provider = await this.ctx.registry.instanceFor(current.provider_id, current.tenant);
    const updated = await callProvider(current.provider_id, 'update a payment', () =>
      provider.updatePayment({
        amount,
        currency_code: currency,
        data: { ...current.data, ...input.data },
        context: { idempotency_key: `${current.id}:update:${amount}`, tenant: current.tenant },
      }),
    );
    return withCollectionLock(this.ctx.orm, current.payment_collection, async (lockedEm, collection) => {
      const session = await lockedEm.findOneOrFail(PaymentSession, { id: input.id });
      if ((SETTLED_SESSION_STATUSES as string[]).includes(session.status)) {
        throw new TenderError('not_allowed', `Payment session ${input.id} was ${session.status} while it was being updated.`);
      }
      session.amount = amount;
      session.currency_code = currency;
      session.data = { ...session.data, ...input.data, ...updated.data };
      if (input.metadata !== undefined) session.metadata = input.metadata;
      if (updated.status) session.status = updated.status;
      await lockedEm.flush();
      await recomputeCollection(lockedEm, collection);
      await lockedEm.flush();
      return toSessionDTO(session);
    });
  }

  /**
   * The check that the session has no payment and its soft delete happen in one transaction under the
   * collection lock, which an authorization also takes to write its payment: either the payment was
   * written first (the delete is refused) or the session is gone when the authorization looks again
   * (it writes nothing). The provider's payment is deleted afterwards, with no lock held; if that fails
   * the session comes back, so the caller can retry and nothing is orphaned at the gateway.
   */
  async delete(id: string): Promise<void> {
    const found = await this.ctx.orm.em.fork().findOne(PaymentSession, { id, deleted_at: null });
    if (!found) throw new TenderError('not_found', `Payment session ${id} was not found.`);
    const deletedAt = new Date();
    const session = await withCollectionLock(this.ctx.orm, found.payment_collection, async (lockedEm, collection) => {
      const locked = await lockedEm.findOne(PaymentSession, { id, deleted_at: null });
      if (!locked) throw new TenderError('not_found', `Payment session ${id} was not found.`);
      if (await lockedEm.count(Payment, { payment_session: id })) {
        throw new TenderError(
          'not_allowed',
          `Payment session ${id} has a payment; cancel the payment instead of deleting the session.`,
        );
      }
      locked.deleted_at = deletedAt;
      await recomputeCollection(lockedEm, collection);
      await lockedEm.flush();
      return locked;
    });
    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    try {
      await callProvider(session.provider_id, 'delete a payment', () =>
        provider.deletePayment({ data: session.data, context: { idempotency_key: `${id}:delete`, tenant: session.tenant } }),
      );
    } catch (error) {
      await this.undelete(session.payment_collection, id, deletedAt);
      throw error;
    }
  }

  /** Brings back a session `delete` removed at `deletedAt` when the provider refused to delete its payment. */
  private async undelete(collectionId: string, id: string, deletedAt: Date): Promise<void> {
    await withCollectionLock(this.ctx.orm, collectionId, async (em, collection) => {
      await em.nativeUpdate(PaymentSession, { id, deleted_at: deletedAt }, { deleted_at: null });
      await recomputeCollection(em, collection);
      await em.flush();
    }).catch((error: unknown) =>
      this.ctx.logger.error({ err: error, session_id: id }, 'could not restore a session whose provider payment was not deleted'),
    );
  }

  /**
   * Records a status a verified webhook reported (failed, canceled, requires_more, pending…).
   * A session that is authorized or captured keeps its status: money has moved.
   */
  /** `webhook`: the status is a webhook's claim, applied only to a session of the webhook's own provider and tenant. */
  async applyWebhookStatus(
    id: string,
    status: PaymentSessionStatus,
    webhook?: WebhookClaim,
  ): Promise<{ changed: boolean; session: PaymentSessionDTO }> {
    const session = await this.ctx.orm.em.fork().findOne(PaymentSession, { id });
    if (!session) throw new TenderError('not_found', `Payment session ${id} was not found.`);
    const result = await withCollectionLock(this.ctx.orm, session.payment_collection, async (em, collection) => {
      const locked = await em.findOneOrFail(PaymentSession, { id });
      assertOwnSession(locked, webhook);
      const settled = (SETTLED_SESSION_STATUSES as string[]).includes(locked.status);
      const changed = !settled && locked.status !== status;
      if (changed) {
        locked.status = status;
        await em.flush();
        await recomputeCollection(em, collection);
        await em.flush();
        // The events commit with the status they announce.
        await writeOutboxEvents(em, statusEvents(locked.id, collection.id, locked.tenant, status));
      }
      return { changed, session: toSessionDTO(locked) };
    });
    return result;
  }
}
