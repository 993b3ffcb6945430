import type { PaymentModule } from '@tender/payment-module';
import { internalsOf } from '@tender/payment-module/internal';
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

/** Rows the demo's checkouts left in the payment tables (scoped, so a shared database does not skew them). */
export async function countRows(payments: PaymentModule, checkouts: Checkout[]) {
  const collections = checkouts.map((c) => c.collection_id);
  const sessions = checkouts.map((c) => c.session_id);
  const em = internalsOf(payments).orm.em.fork();
  const count = async (sql: string, params: unknown[]) => Number((await em.execute<{ n: string }[]>(sql, params))[0]!.n);
  const inList = (values: unknown[]) => values.map(() => '?').join(', ');
  return {
    webhook_events: await count(
      `select count(*) as n from webhook_event where data->>'session_id' in (${inList(sessions)})`,
      sessions,
    ),
    payments: await count(
      `select count(*) as n from payment where payment_collection_id in (${inList(collections)})`,
      collections,
    ),
    captures: await count(
      `select count(*) as n from capture c join payment p on p.id = c.payment_id where p.payment_collection_id in (${inList(collections)})`,
      collections,
    ),
  };
}
