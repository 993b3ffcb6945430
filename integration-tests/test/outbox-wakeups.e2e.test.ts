import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CartCompletion } from '@tender/core';
import { createLogger, createPaymentModule, type DomainEvent, type PaymentModule } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { PostgresCartStore } from '@tender/reference-cart';
import { eventually, SYSTEM_SECRET } from '../support/app.js';

// The webhook path's writers wake the relays of other processes after their commits (a NOTIFY of their own,
// not in the writing transaction). The relay here is in a second module that polls once a minute, so an event
// it gets within seconds came through LISTEN/NOTIFY.

const CART_DELAY_MS = 1_500;

/** The reference cart, whose orders take a while: the relay is asleep again by the time the order commits. */
class SlowCartStore extends PostgresCartStore {
  override async completeCartsOfPaymentCollections(ids: string[]): Promise<(CartCompletion | null)[]> {
    await new Promise((resolve) => setTimeout(resolve, CART_DELAY_MS));
    return super.completeCartsOfPaymentCollections(ids);
  }
}

const providers = [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } }];
const carts = new SlowCartStore();
let app: TestPaymentModule;
let relayModule: PaymentModule;
const delivered: { event: DomainEvent; at: number }[] = [];

beforeAll(async () => {
  // The app's own process delivers nothing: its worker writes, the other module's relay delivers.
  app = await createTestPaymentModule({ cart: carts, providers, workflow: processPaymentWorkflow, outbox: { relay: false } });
  await carts.open(app.databaseUrl);
  relayModule = await createPaymentModule({
    databaseUrl: app.databaseUrl,
    providers,
    worker: false,
    outbox: { pollIntervalMs: 60_000 },
    logger: createLogger({ level: 'silent' }),
  });
  relayModule.events.subscribe(
    '*',
    (event) => {
      delivered.push({ event, at: Date.now() });
    },
    { name: 'wakeups' },
  );
});
afterAll(async () => {
  await relayModule?.close();
  await carts.close();
  await app?.close();
});

async function checkout(withCart: boolean) {
  const collection = await app.service.createPaymentCollections({ currency_code: 'usd', amount: '12.00' });
  const session = await app.service.createPaymentSession(collection.id, {
    provider_id: 'pp_system_default',
    amount: '12.00',
    currency_code: 'usd',
  });
  if (withCart) await carts.createCart(collection.id);
  return { collectionId: collection.id, sessionId: session.id };
}

function eventsOf(collectionId: string): DomainEvent[] {
  return delivered.filter((d) => d.event.payment_collection_id === collectionId).map((d) => d.event);
}

async function sendCaptured(sessionId: string) {
  const webhook = createSystemWebhook({
    secret: SYSTEM_SECRET,
    type: 'payment.captured',
    session_id: sessionId,
    amount: '12.00',
  });
  const sent = Date.now();
  const stored = await app.receiveWebhook({
    provider: 'system_default',
    method: 'POST',
    headers: webhook.headers,
    query: {},
    rawBody: webhook.rawBody,
  });
  expect(stored.outcome).toBe('accepted');
  return sent;
}

/** How long after `since` the collection's event `name` reached the other process's subscriber. */
async function deliveredAfter(collectionId: string, name: string, since: number): Promise<number> {
  const found = await eventually(async () => {
    const hit = delivered.find((d) => d.event.payment_collection_id === collectionId && d.event.name === name);
    expect(hit).toBeDefined();
    return hit!;
  }, 15_000);
  return found.at - since;
}

describe('relays in other processes are woken by the webhook path', () => {
  it("the authorization's commit wakes them for its payment events", async () => {
    const { collectionId, sessionId } = await checkout(false);
    const sent = await sendCaptured(sessionId);
    const ms = await deliveredAfter(collectionId, 'payment.captured', sent);
    // Far below the relay's poll of a minute, and the outcome (no cart: no event) wakes nobody.
    expect(ms).toBeLessThan(10_000);
    expect(eventsOf(collectionId).map((e) => e.name)).toEqual(expect.arrayContaining(['payment.authorized', 'payment.captured']));
  });

  it("the outcome's commit wakes them for its cart.completed, written after the relay went back to sleep", async () => {
    const { collectionId, sessionId } = await checkout(true);
    const sent = await sendCaptured(sessionId);
    const captured = await deliveredAfter(collectionId, 'payment.captured', sent);
    const completed = await deliveredAfter(collectionId, 'cart.completed', sent);
    // payment.captured came before the order existed; cart.completed only once the order committed.
    expect(captured).toBeLessThan(CART_DELAY_MS);
    expect(completed).toBeGreaterThanOrEqual(CART_DELAY_MS);
    expect(completed).toBeLessThan(CART_DELAY_MS + 10_000);
    expect(await carts.countOrders()).toBe(1);
  });
});
