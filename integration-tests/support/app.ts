import type { DomainEvent, PaymentModuleOptions, ProviderRegistration } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';
import { type AdapterName, type RunningServer, serveWebhooks } from './servers.js';

export const SYSTEM_SECRET = 'whsec_integration_system_secret';

export interface TestApp {
  payments: TestPaymentModule;
  carts: PostgresCartStore;
  server: RunningServer;
  url: string;
  events: DomainEvent[];
  /** A collection with a session for `provider_id` and a cart linked to it: what a checkout creates. */
  checkout(
    amount?: string,
    providerId?: string,
    currency?: string,
  ): Promise<{ collectionId: string; sessionId: string; cartId: string }>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { adapter?: AdapterName; providers?: ProviderRegistration[]; module?: Partial<PaymentModuleOptions> } = {},
): Promise<TestApp> {
  const carts = new PostgresCartStore();
  const payments = await createTestPaymentModule({
    cart: carts,
    providers: options.providers ?? [
      { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [SYSTEM_SECRET] } },
    ],
    workflow: processPaymentWorkflow,
    ...options.module,
  });
  await carts.open(payments.databaseUrl); // creates the cart tables
  const events: DomainEvent[] = [];
  payments.events.subscribe('*', (event) => {
    events.push(event);
  });
  const server = await serveWebhooks(options.adapter ?? 'node', payments);
  return {
    payments,
    carts,
    server,
    url: server.url,
    events,
    async checkout(amount = '25.00', providerId = 'pp_system_default', currency = 'usd') {
      const collection = await payments.service.createPaymentCollections({ currency_code: currency, amount });
      const session = await payments.service.createPaymentSession(collection.id, {
        provider_id: providerId,
        amount,
        currency_code: currency,
      });
      const cart = await carts.createCart(collection.id);
      return { collectionId: collection.id, sessionId: session.id, cartId: cart.id };
    },
    async close() {
      await server.close();
      await carts.close();
      await payments.close();
    },
  };
}

/** Sends a webhook delivery over HTTP exactly as built (bytes untouched). */
export async function send(
  url: string,
  delivery: { method?: string; headers?: Record<string, string>; rawBody?: Buffer; query?: Record<string, string> },
): Promise<{ status: number; body: any }> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(delivery.query ?? {})) target.searchParams.set(k, v);
  const response = await fetch(target, {
    method: delivery.method ?? 'POST',
    headers: delivery.headers,
    body: delivery.method === 'GET' ? undefined : delivery.rawBody,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** Waits until `check` passes or the time runs out (the worker runs asynchronously). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw lastError;
}

export async function tableCounts(payments: TestPaymentModule): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['webhook_event', 'payment', 'capture', 'refund', 'payment_session', 'payment_collection']) {
    const [row] = await payments.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
    counts[table] = Number(row!.n);
  }
  return counts;
}
