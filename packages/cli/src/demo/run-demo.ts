import { internalsOf } from '@tender/payment-module/internal';
import type { Output } from '../output.js';
import { takeOverSignals } from '../signals.js';
import { type CheckoutState, countRows, readCheckoutState } from './checkout-state.js';
import { type DemoStack, startDemoStack } from './demo-stack.js';
import { Progress } from './progress.js';
import { Resources } from './resources.js';
import { createCheckouts, runScenario, type TimelineEntry } from './run-scenario.js';
import { CHECKOUTS, type Checkout, STEPS } from './scenario.js';
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

type Print = (text?: string) => void;

function printBanner(print: Print, { payments, baseUrl }: DemoStack): void {
  print('Tender demo: real PostgreSQL, a real HTTP route, provider APIs emulated on 127.0.0.1, webhooks signed');
  print("by each provider's own scheme. Webhook URLs:");
  for (const provider of internalsOf(payments).registry.list())
    print(`  ${provider.id.padEnd(20)} ${baseUrl}/hooks/payment/${provider.routeKey}`);
  print();
}

async function summarizeRun(
  { payments, carts }: DemoStack,
  checkouts: Checkout[],
  entries: TimelineEntry[],
): Promise<DemoSummary> {
  const finals = new Map<string, CheckoutState>();
  for (const checkout of checkouts) finals.set(checkout.key, await readCheckoutState(payments, carts, checkout));
  return summarize(checkouts, finals, entries, await countRows(payments, checkouts));
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
  const restoreSignals = takeOverSignals(() => {
    progress.clear();
    out.error('Interrupted: stopping the demo servers and database…');
    void resources.closeAll().then(() => process.exit(130));
  });
  const print: Print = (text = '') => {
    if (options.json) return;
    progress.clear();
    out.line(text);
  };
  try {
    const stack = await startDemoStack(options, progress, resources);
    printBanner(print, stack);

    const checkouts = await createCheckouts(stack.payments, stack.carts, CHECKOUTS, { onStep: (m) => progress.update(m) });
    print(timelineHeader());
    const entries = await runScenario({
      ...stack,
      checkouts,
      hooks: { onStep: (m) => progress.update(m), onEntry: (entry) => print(formatTimelineEntry(entry)) },
    });

    progress.update('reading the final state of every checkout');
    const summary = await summarizeRun(stack, checkouts, entries);
    print();
    print(formatSummary(summary));
    return { entries, summary, durationMs: Date.now() - started };
  } finally {
    progress.clear();
    const failures = await resources.closeAll();
    for (const failure of failures) out.error(`cleanup: ${failure}`);
    restoreSignals();
  }
}
