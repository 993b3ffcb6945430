import type { CartCompletion, CartPort } from '@tender/core';
import { PaymentEvents } from '@tender/payment-module';
import type { WorkflowDependencies } from '../types.js';
import { completeCartTogether, completesCartsTogether } from './cart-completions.js';

const PAID_STATUSES = new Set(['authorized', 'partially_captured', 'completed']);

/**
 * Completes the collection's cart once it is paid (`knownStatus`: the status the payment steps just
 * committed, which saves reading it again). Runs after the payment steps have committed and
 * is not compensable: a failure here leaves the payment recorded, and the inbox retries the event,
 * so the host's idempotent `completeCart` gets another call.
 */
export async function completeCartIfPaid(
  deps: WorkflowDependencies,
  paymentCollectionId: string,
  knownStatus?: string,
): Promise<{ order_id?: string; collection_status: string; completed_now: boolean }> {
  const collection = knownStatus
    ? { status: knownStatus }
    : await deps.paymentModuleService.retrievePaymentCollection(paymentCollectionId);
  if (!PAID_STATUSES.has(collection.status) || !deps.cartPort) {
    return { collection_status: collection.status, completed_now: false };
  }
  const completion = await completeCartOf(deps.cartPort, paymentCollectionId);
  if (!completion) return { collection_status: collection.status, completed_now: false };
  const { cart_id, order_id, created } = completion;
  if (created) {
    await deps.eventBus.emit({
      name: PaymentEvents.CART_COMPLETED,
      data: { cart_id, order_id, payment_collection_id: paymentCollectionId },
    });
  }
  return { order_id, collection_status: collection.status, completed_now: created };
}

/** The collection's cart completed (null: it has none), with the port's batch call when it has one. */
async function completeCartOf(port: CartPort, paymentCollectionId: string): Promise<CartCompletion | null> {
  if (completesCartsTogether(port)) return completeCartTogether(port, paymentCollectionId);
  const cart = await port.retrieveCartByPaymentCollection(paymentCollectionId);
  if (!cart) return null;
  if (cart.completed_at && cart.order_id) return { cart_id: cart.id, order_id: cart.order_id, created: false };
  const { order_id, created = true } = await port.completeCart(cart.id);
  return { cart_id: cart.id, order_id, created };
}
