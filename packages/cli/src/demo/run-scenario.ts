import type { PaymentModule } from '@tender/payment-module';
import { internalsOf } from '@tender/payment-module/internal';
import type { PostgresCartStore } from '@tender/reference-cart';
import { type Delivery, responseOutcome, sendDelivery } from '../http/send-delivery.js';
import { type CheckoutState, readCheckoutState } from './checkout-state.js';
import type { DemoEmulators } from './demo-providers.js';
import { CHECKOUTS, type Checkout, type CheckoutPlan, type DemoStep, STEPS } from './scenario.js';

/** One delivery as it happened: what was sent, what the route said, what the worker did, where it left things. */
export interface TimelineEntry {
  index: number;
  step: DemoStep;
  checkout: Checkout;
  status: number;
  /** accepted / duplicate / ignored for a 2xx, the error type (e.g. unauthorized) otherwise. */
  outcome: string;
  /** What the provider said the event means; undefined when it was refused. */
  action?: string;
  /** What the workflow did with it: processed, ignored (with its reason), failed… */
  processing?: string;
  state: CheckoutState;
  /** The route answered as the scenario expects. */
  asExpected: boolean;
}

export interface ScenarioHooks {
  onStep?(message: string): void;
  onEntry?(entry: TimelineEntry): void;
}

export async function createCheckouts(
  payments: PaymentModule,
  carts: PostgresCartStore,
  plans: CheckoutPlan[] = CHECKOUTS,
  hooks: ScenarioHooks = {},
): Promise<Checkout[]> {
  const checkouts: Checkout[] = [];
  for (const plan of plans) {
    hooks.onStep?.(`checkout with ${plan.provider_id}: collection, session, cart`);
    const collection = await payments.service.createPaymentCollections({
      currency_code: plan.currency_code,
      amount: plan.amount,
    });
    const session = await payments.service.createPaymentSession(collection.id, {
      provider_id: plan.provider_id,
      amount: plan.amount,
      currency_code: plan.currency_code,
      data: plan.data,
    });
    const cart = await carts.createCart(collection.id);
    checkouts.push({
      ...plan,
      route_key: internalsOf(payments).registry.get(plan.provider_id).routeKey,
      session_id: session.id,
      collection_id: collection.id,
      cart_id: cart.id,
    });
  }
  return checkouts;
}

async function processingOf(payments: PaymentModule, checkout: Checkout, eventId: string | undefined) {
  if (!eventId) return {};
  const rows = await payments.webhooks.list({ provider: checkout.provider_id, take: 500 });
  const row = rows.find((r) => r.event_id === eventId);
  if (!row) return {};
  const result = row.result as { outcome?: string; reason?: string } | null;
  const processing =
    row.status === 'failed' || row.status === 'dead'
      ? `${row.status}: ${row.last_error}`
      : result?.reason
        ? `${result.outcome}: ${result.reason}`
        : (result?.outcome ?? row.status);
  return { action: row.action, processing };
}

/** Sends every step's webhook over HTTP to `baseUrl`, waits for the worker, and records the outcome. */
export async function runScenario(options: {
  payments: PaymentModule;
  carts: PostgresCartStore;
  emulators: DemoEmulators;
  baseUrl: string;
  checkouts: Checkout[];
  steps?: DemoStep[];
  hooks?: ScenarioHooks;
}): Promise<TimelineEntry[]> {
  const { payments, carts, emulators, baseUrl, checkouts, hooks = {} } = options;
  const sent = new Map<string, Delivery>();
  const entries: TimelineEntry[] = [];
  for (const [i, step] of (options.steps ?? STEPS).entries()) {
    const checkout = checkouts.find((c) => c.key === step.checkout);
    if (!checkout) throw new Error(`Demo step "${step.label}" names an unknown checkout "${step.checkout}".`);
    hooks.onStep?.(`${checkout.route_key}: ${step.event}${step.note ? ` (${step.note.split(':')[0]})` : ''}`);
    const delivery = step.build({ checkout, emulators, sent });
    sent.set(step.label, delivery);
    const response = await sendDelivery(`${baseUrl}/hooks/payment/${checkout.route_key}`, delivery);
    // The 2xx means "stored"; the worker applies it asynchronously, so wait for it before reading the state.
    await payments.worker?.whenIdle();
    const outcome = responseOutcome(response);
    const eventId = (response.body as { event_id?: string } | undefined)?.event_id;
    const entry: TimelineEntry = {
      index: i + 1,
      step,
      checkout,
      status: response.status,
      outcome,
      ...(await processingOf(payments, checkout, eventId)),
      state: await readCheckoutState(payments, carts, checkout),
      asExpected: response.status === step.expectStatus && (!step.expectOutcome || outcome === step.expectOutcome),
    };
    entries.push(entry);
    hooks.onEntry?.(entry);
  }
  return entries;
}
