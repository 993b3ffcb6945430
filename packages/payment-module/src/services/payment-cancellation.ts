import { compareAmounts, TenderError } from '@tender/core';
import { PaymentEvents } from '../events/event-bus.js';
import { Capture, Payment, PaymentSession } from '../models/index.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { recomputeCollection } from './collection-state.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import { withCollectionLock } from './locking.js';
import { RESERVING, total } from './movements.js';
import { paymentDTO, paymentOrFail, retrievePayment } from './payment-loader.js';
import { callProvider } from './provider-call.js';

/** `cancelPayment`: the provider's cancel with no lock held, then the payment, its session and its collection under the lock. */
export class PaymentCancellation {
  constructor(private readonly ctx: ServiceContext) {}

  /** Cancels an authorized payment that has not been captured; canceling twice is a no-op. */
  async cancel(paymentId: string): Promise<PaymentDTO> {
    const payment = await paymentOrFail(this.ctx.orm, paymentId);
    if (payment.canceled_at) return retrievePayment(this.ctx.orm, paymentId);
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
      return paymentDTO(this.ctx.orm, em, locked);
    });
    return dto;
  }
}
