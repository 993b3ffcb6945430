import type { EntityManager } from '@mikro-orm/postgresql';
import { type AmountInput, addAmounts, assertPositiveAmount, compareAmounts } from '@tender/core';
import { PaymentEvents } from '../events/event-bus.js';
import { generateId, IdPrefix } from '../ids.js';
import { Capture, Payment, PaymentSession, Refund } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { recomputeCollection } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { withCollectionLock } from './locking.js';
import { captureState, reportedShare, total } from './movements.js';
import { paymentDTO, paymentOrFail } from './payment-loader.js';
import type { StatusReader } from './status-reader.js';
import { assertOwnSession, gatewayCanBeAsked, ProviderContradictsWebhookError, type WebhookClaim } from './webhook-trust.js';

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

/**
 * Captures and refunds a provider reports it has already made (a webhook's, or a host's call), recorded
 * through entities under the collection lock without asking the provider to move money again: at most
 * what is left to capture or refund, once per running total or reference.
 */
export class ProviderMovements {
  /** `statuses`: the gateway status calls, capped, shared with the authorizer. */
  constructor(
    private readonly ctx: ServiceContext,
    private readonly statuses: StatusReader,
  ) {}

  /**
   * Records captures the provider reports it has already made (a webhook), without asking it to
   * capture again. Without a `reference` the amount is the provider's running total, so a repeated or
   * late event, or one for a capture Tender itself requested, adds nothing; with one, it is that one
   * capture's amount, recorded once per reference.
   *
   * `webhook`: the capture is a webhook's claim. It applies only to a payment of the webhook's own provider
   * and tenant, and where the gateway can be asked, only for what the gateway itself reports as captured.
   */
  async recordCapture(paymentId: string, amount: AmountInput, options: { reference?: string; webhook?: WebhookClaim } = {}) {
    const claimed = assertPositiveAmount(amount, 'captured amount');
    const payment = await paymentOrFail(this.ctx.orm, paymentId);
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

  /**
   * Records refunds the provider reports: its running total, or one refund when `reference` names it.
   * `webhook`: the refund is a webhook's claim, applied only to a payment of the webhook's own provider and tenant.
   */
  async recordRefund(paymentId: string, amount: AmountInput, options: { reference?: string; webhook?: WebhookClaim } = {}) {
    const refunded = assertPositiveAmount(amount, 'refunded amount');
    return this.recordReported(Refund, await paymentOrFail(this.ctx.orm, paymentId), refunded, options.reference, {
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
      return { recorded, payment: await paymentDTO(this.ctx.orm, em, locked) };
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
}
