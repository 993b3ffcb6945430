import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres } from '@tender/embedded-postgres';
import { createNodeListener } from '@tender/http';
import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { PostgresCartStore } from '@tender/reference-cart';
import { type DemoEmulators, demoProviders, startDemoEmulators } from './demo-providers.js';
import type { Progress } from './progress.js';
import type { Resources } from './resources.js';

/** What the scenario runs against: each part is handed to `resources` as soon as it is up. */
export interface DemoStack {
  payments: PaymentModule;
  carts: PostgresCartStore;
  emulators: DemoEmulators;
  /** Where the webhook route listens, e.g. `http://127.0.0.1:54321`. */
  baseUrl: string;
}

export interface DemoStackOptions {
  /** Use this PostgreSQL instead of starting an embedded one. */
  databaseUrl?: string;
  verbose?: boolean;
}

async function startDatabase(databaseUrl: string | undefined, progress: Progress, resources: Resources): Promise<string> {
  if (databaseUrl) {
    progress.update('connecting to the given PostgreSQL');
    return databaseUrl;
  }
  progress.update('starting the embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres();
  resources.add('embedded PostgreSQL', () => embedded.stop());
  return embedded.url;
}

async function startPaymentModule(
  databaseUrl: string,
  emulators: DemoEmulators,
  verbose: boolean,
  resources: Resources,
): Promise<{ payments: PaymentModule; carts: PostgresCartStore }> {
  const carts = new PostgresCartStore(databaseUrl);
  resources.add('cart store', () => carts.close());
  await carts.migrate();
  const payments = await createPaymentModule({
    databaseUrl,
    migrate: true,
    providers: demoProviders(emulators),
    workflow: processPaymentWorkflow,
    cart: carts,
    logger: createLogger({ level: verbose ? 'info' : 'silent' }),
  });
  resources.add('payment module', () => payments.close());
  return { payments, carts };
}

/** Resolves with the base URL once the route listens on a free port. */
async function serveWebhookRoute(payments: PaymentModule, resources: Resources): Promise<string> {
  const server = createServer(createNodeListener(payments));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  resources.add('HTTP server', () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the database, the provider emulators, the payment module and the webhook route, in that order. */
export async function startDemoStack(options: DemoStackOptions, progress: Progress, resources: Resources): Promise<DemoStack> {
  const databaseUrl = await startDatabase(options.databaseUrl, progress, resources);

  progress.update('starting the Stripe, Easypay and Ifthenpay API emulators on 127.0.0.1');
  const emulators = await startDemoEmulators();
  resources.add('emulators', () => emulators.close());

  progress.update('migrating the payment and cart tables');
  const { payments, carts } = await startPaymentModule(databaseUrl, emulators, Boolean(options.verbose), resources);

  progress.update('mounting the webhook route on a local HTTP server');
  const baseUrl = await serveWebhookRoute(payments, resources);
  return { payments, carts, emulators, baseUrl };
}
