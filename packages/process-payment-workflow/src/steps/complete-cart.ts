import { type CartCompletion, type CartPort, compareAmounts } from '@tender/core';
import { type NewDomainEvent, PaymentEvents } from '@tender/payment-module';
import type { WorkflowDependencies } from '../types.js';
import { completeCartTogether, completesCartsTogether } from './cart-completions.js';

/** Statuses that by themselves say the collection's whole amount is authorized (captured or not). */
const PAID_IN_FULL = new Set(['authorized', 'completed']);
/** Statuses that may or may not: a capture of part of a partial authorization also reads partially_captured. */
const MAYBE_PAID_IN_FULL = new Set(['partially_captured', 'partially_refunded', 'refunded']);

/** Whether the collection is authorized (or captured) for its full amount: only then is the order paid for. */
function paidInFull(collection: { status: string; amount?: string; authorized_amount?: string }): boolean {
  if (PAID_IN_FULL.has(collection.status)) return true;
  if (!MAYBE_PAID_IN_FULL.has(collection.status) || !collection.amount || !collection.authorized_amount) return false;
  return compareAmounts(collection.authorized_amount, collection.amount) >= 0;
}

/** What the cart step came to; `events` (the cart's `cart.completed`) are for the worker to write with the outcome. */
export interface CartStep {
  collection_status: string;
  order_id?: string;
  completed_now?: boolean;
  events?: NewDomainEvent[];
}

/**
 * Completes the collection's cart once it is paid in full (`knownStatus`: the status the payment steps just
 * committed, which saves reading it again when it says enough). Runs after the payment steps have committed
 * and is not compensable: a failure here leaves the payment recorded, and the inbox retries the event,
 * so the host's idempotent `completeCart` gets another call.
 */
export async function completeCartIfPaid(
  deps: WorkflowDependencies,
  paymentCollectionId: string,
  knownStatus?: string,
): Promise<CartStep> {
  const collection =
    knownStatus && !MAYBE_PAID_IN_FULL.has(knownStatus)
      ? { status: knownStatus }
      : await deps.paymentModuleService.retrievePaymentCollection(paymentCollectionId);
  if (!paidInFull(collection) || !deps.cartPort) {
    return { collection_status: collection.status, completed_now: false };
  }
  const completion = await completeCartOf(deps.cartPort, paymentCollectionId);
  if (!completion) return { collection_status: collection.status, completed_now: false };
  const { cart_id, order_id, created } = completion;
  // The order is committed by the host's cart port, in a transaction Tender cannot join, so its event goes
  // with the webhook event's outcome, in the worker's statement that records it. A crash in between leaves
  // the webhook event unprocessed: its retry finds the cart completed (created: false) and returns the event
  // again. The dedupe key makes it one event per cart whichever try, or whichever racing completion, writes it.
  const event: NewDomainEvent = {
    name: PaymentEvents.CART_COMPLETED,
    payment_collection_id: paymentCollectionId,
    dedupe_key: `${PaymentEvents.CART_COMPLETED}:${cart_id}`,
    data: { cart_id, order_id, payment_collection_id: paymentCollectionId },
  };
  return { order_id, collection_status: collection.status, completed_now: created, events: [event] };
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
