import type { PaymentModule } from '@tender/payment-module';
import type { PostgresCartStore } from '@tender/reference-cart';
import type { Checkout } from './scenario.js';

/** Where one checkout stands: read from the database, never from what the demo expects. */
export interface CheckoutState {
  session: string;
  collection: string;
  captured: string;
  order_id: string | null;
  orders: number;
}

export async function readCheckoutState(
  payments: PaymentModule,
  carts: PostgresCartStore,
  checkout: Checkout,
): Promise<CheckoutState> {
  const [session, collection, cart, orders] = await Promise.all([
    payments.service.retrievePaymentSession(checkout.session_id),
    payments.service.retrievePaymentCollection(checkout.collection_id),
    carts.retrieveCart(checkout.cart_id),
    carts.countOrders(checkout.cart_id),
  ]);
  return {
    session: session.status,
    collection: collection.status,
    captured: collection.captured_amount,
    order_id: cart?.order_id ?? null,
    orders,
  };
}

/**
 * Rows the demo's checkouts left in the payment tables, asked of the module by the checkouts' own ids (so a
 * shared database does not skew them).
 */
export async function countRows(payments: PaymentModule, checkouts: Checkout[]) {
  const take = { take: 10_000 };
  const events = await payments.webhooks.list({ session_id: checkouts.map((c) => c.session_id), ...take });
  const found = await payments.service.listPayments({ payment_collection_id: checkouts.map((c) => c.collection_id) }, take);
  const captures = found.length === 0 ? [] : await payments.service.listCaptures({ payment_id: found.map((p) => p.id) }, take);
  return { webhook_events: events.length, payments: found.length, captures: captures.length };
}
