import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres } from '@tender/embedded-postgres';
import { createNodeListener } from '@tender/http';
import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { internalsOf } from '@tender/payment-module/internal';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { PostgresCartStore } from '@tender/reference-cart';
import type { Output } from '../output.js';
import { takeOverSignals } from '../signals.js';
import { type CheckoutState, countRows, readCheckoutState } from './checkout-state.js';
import { demoProviders, startDemoEmulators } from './demo-providers.js';
import { Progress } from './progress.js';
import { createCheckouts, runScenario, type TimelineEntry } from './run-scenario.js';
import { CHECKOUTS, STEPS } from './scenario.js';
import { type DemoSummary, formatSummary, summarize } from './summary.js';
import { formatTimelineEntry, timelineHeader } from './timeline.js';

export interface DemoOptions {
  /** Use this PostgreSQL instead of starting an embedded one (DATABASE_URL is deliberately ignored). */
  databaseUrl?: string;
  out: Output;
  /** Print one JSON document at the end instead of the timeline and table. */
  json?: boolean;
  verbose?: boolean;
  /** Where the progress line goes; stdout by default (it only animates on a terminal). */
  progressStream?: NodeJS.WriteStream;
}

export interface DemoResult {
  entries: TimelineEntry[];
  summary: DemoSummary;
  durationMs: number;
}

/** Runs everything, then stops everything it started, in reverse order, whatever happened. */
class Resources {
  private readonly stops: { name: string; stop: () => Promise<unknown> }[] = [];

  add(name: string, stop: () => Promise<unknown>): void {
    this.stops.push({ name, stop });
  }

  async closeAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    return failures;
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { out } = options;
  // With --json, stdout carries one JSON document only, so progress goes to stderr.
  const progress = new Progress(
    options.progressStream ?? (options.json ? process.stderr : process.stdout),
    5 + CHECKOUTS.length + STEPS.length,
  );
  const resources = new Resources();
  const onSignal = () => {
    progress.clear();
    out.error('Interrupted: stopping the demo servers and database…');
    void resources.closeAll().then(() => process.exit(130));
  };
  const restoreSignals = takeOverSignals(onSignal);
  const print = (text = '') => {
    if (options.json) return;
    progress.clear();
    out.line(text);
  };
  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      progress.update('starting the embedded PostgreSQL');
      const embedded = await startEmbeddedPostgres();
      resources.add('embedded PostgreSQL', () => embedded.stop());
      databaseUrl = embedded.url;
    } else {
      progress.update('connecting to the given PostgreSQL');
    }

    progress.update('starting the Stripe, Easypay and Ifthenpay API emulators on 127.0.0.1');
    const emulators = await startDemoEmulators();
    resources.add('emulators', () => emulators.close());

    progress.update('migrating the payment and cart tables');
    const carts = new PostgresCartStore(databaseUrl);
    resources.add('cart store', () => carts.close());
    await carts.migrate();
    const payments: PaymentModule = await createPaymentModule({
      databaseUrl,
      migrate: true,
      providers: demoProviders(emulators),
      workflow: processPaymentWorkflow,
      cart: carts,
      logger: createLogger({ level: options.verbose ? 'info' : 'silent' }),
    });
    resources.add('payment module', () => payments.close());

    progress.update('mounting the webhook route on a local HTTP server');
    const server = createServer(createNodeListener(payments));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    resources.add('HTTP server', () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    print('Tender demo: real PostgreSQL, a real HTTP route, provider APIs emulated on 127.0.0.1, webhooks signed');
    print("by each provider's own scheme. Webhook URLs:");
    for (const provider of internalsOf(payments).registry.list())
      print(`  ${provider.id.padEnd(20)} ${baseUrl}/hooks/payment/${provider.routeKey}`);
    print();

    const checkouts = await createCheckouts(payments, carts, CHECKOUTS, { onStep: (m) => progress.update(m) });
    print(timelineHeader());
    const entries = await runScenario({
      payments,
      carts,
      emulators,
      baseUrl,
      checkouts,
      hooks: { onStep: (m) => progress.update(m), onEntry: (entry) => print(formatTimelineEntry(entry)) },
    });

    progress.update('reading the final state of every checkout');
    const finals = new Map<string, CheckoutState>();
    for (const checkout of checkouts) finals.set(checkout.key, await readCheckoutState(payments, carts, checkout));
    const summary = summarize(checkouts, finals, entries, await countRows(payments, checkouts));
    print();
    print(formatSummary(summary));
    const durationMs = Date.now() - started;
    return { entries, summary, durationMs };
  } finally {
    progress.clear();
    const failures = await resources.closeAll();
    for (const failure of failures) out.error(`cleanup: ${failure}`);
    restoreSignals();
  }
}
