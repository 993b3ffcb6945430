import { compareAmounts, currencyExponent, formatDecimal, parseDecimal } from '@tender/core';
import { formatTable } from '../output.js';
import type { CheckoutState } from './checkout-state.js';
import type { TimelineEntry } from './run-scenario.js';
import { type Checkout, EXPECTED_FINAL_STATE } from './scenario.js';

export interface CheckoutSummary {
  checkout: Checkout;
  final: CheckoutState;
  sent: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Problems with this checkout's final state or deliveries; empty when all is as expected. */
  problems: string[];
}

export interface DemoSummary {
  checkouts: CheckoutSummary[];
  totals: { webhooks_sent: number; webhook_events: number; payments: number; captures: number; orders: number };
  problems: string[];
}

/** Compares each checkout's final state with what the scenario promises. */
export function summarize(
  checkouts: Checkout[],
  finals: Map<string, CheckoutState>,
  entries: TimelineEntry[],
  rows: { webhook_events: number; payments: number; captures: number },
): DemoSummary {
  const summaries = checkouts.map((checkout): CheckoutSummary => {
    const mine = entries.filter((e) => e.checkout.key === checkout.key);
    const final = finals.get(checkout.key)!;
    const problems: string[] = [];
    if (final.session !== EXPECTED_FINAL_STATE.session)
      problems.push(`session is ${final.session}, expected ${EXPECTED_FINAL_STATE.session}`);
    if (final.collection !== EXPECTED_FINAL_STATE.collection) {
      problems.push(`collection is ${final.collection}, expected ${EXPECTED_FINAL_STATE.collection}`);
    }
    if (compareAmounts(final.captured, checkout.amount) !== 0)
      problems.push(`captured ${final.captured}, expected ${checkout.amount}`);
    if (final.orders !== EXPECTED_FINAL_STATE.orders)
      problems.push(`${final.orders} orders, expected ${EXPECTED_FINAL_STATE.orders}`);
    for (const e of mine.filter((x) => !x.asExpected)) {
      problems.push(`delivery #${e.index} (${e.step.event}) answered ${e.status} ${e.outcome}, expected ${e.step.expectStatus}`);
    }
    return {
      checkout,
      final,
      sent: mine.length,
      accepted: mine.filter((e) => e.outcome === 'accepted').length,
      duplicates: mine.filter((e) => e.outcome === 'duplicate').length,
      refused: mine.filter((e) => e.status >= 400).length,
      problems: problems.map((p) => `${checkout.route_key}: ${p}`),
    };
  });
  const totals = {
    webhooks_sent: entries.length,
    ...rows,
    orders: summaries.reduce((n, s) => n + s.final.orders, 0),
  };
  const problems = summaries.flatMap((s) => s.problems);
  // One capture per payment and one payment per checkout, however many deliveries said "captured".
  if (rows.payments !== checkouts.length) problems.push(`${rows.payments} payments, expected ${checkouts.length}`);
  if (rows.captures !== checkouts.length) problems.push(`${rows.captures} captures, expected ${checkouts.length}`);
  const stored = summaries.reduce((n, s) => n + s.accepted, 0);
  if (rows.webhook_events !== stored) problems.push(`${rows.webhook_events} stored webhook events, expected ${stored}`);
  return { checkouts: summaries, totals, problems };
}

/** An amount with its currency's decimals ("18.5" → "18.50 EUR"), exactly, for display. */
function money(amount: string, currency: string): string {
  return `${formatDecimal(parseDecimal(amount), currencyExponent(currency))} ${currency.toUpperCase()}`;
}

export function formatSummary(summary: DemoSummary): string {
  const table = formatTable(summary.checkouts, [
    { header: 'provider', value: (s) => s.checkout.provider_id },
    { header: 'amount', value: (s) => money(s.checkout.amount, s.checkout.currency_code) },
    { header: 'sent', value: (s) => String(s.sent) },
    { header: 'accepted', value: (s) => String(s.accepted) },
    { header: 'duplicate', value: (s) => String(s.duplicates) },
    { header: 'refused', value: (s) => String(s.refused) },
    { header: 'session', value: (s) => s.final.session },
    { header: 'collection', value: (s) => s.final.collection },
    { header: 'captured', value: (s) => money(s.final.captured, s.checkout.currency_code) },
    { header: 'orders', value: (s) => String(s.final.orders) },
    { header: 'check', value: (s) => (s.problems.length ? 'FAIL' : 'ok') },
  ]);
  const t = summary.totals;
  const totals = `Totals: ${t.webhooks_sent} webhooks sent, ${t.webhook_events} stored, ${t.payments} payments, ${t.captures} captures, ${t.orders} orders.`;
  const verdict = summary.problems.length
    ? `FAILED: ${summary.problems.length} unexpected result(s):\n${summary.problems.map((p) => `  - ${p}`).join('\n')}`
    : 'All checkouts ended as expected: captured once, one order each.';
  return `${table}\n\n${totals}\n${verdict}`;
}
