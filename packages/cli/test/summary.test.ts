import { describe, expect, it } from '@jest/globals';
import type { CheckoutState } from '../src/demo/checkout-state.js';
import type { TimelineEntry } from '../src/demo/run-scenario.js';
import { type Checkout, STEPS } from '../src/demo/scenario.js';
import { formatSummary, summarize } from '../src/demo/summary.js';
import { formatTimelineEntry } from '../src/demo/timeline.js';

const checkout: Checkout = {
  key: 'stripe',
  provider_id: 'pp_stripe_stripe',
  amount: '42.00',
  currency_code: 'usd',
  route_key: 'stripe_stripe',
  session_id: 'payses_1',
  collection_id: 'pay_col_1',
  cart_id: 'cart_1',
};
const good: CheckoutState = { session: 'captured', collection: 'completed', captured: '42', order_id: 'order_1', orders: 1 };

function entry(overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    index: 1,
    step: STEPS.find((s) => s.label === 'stripe-succeeded')!,
    checkout,
    status: 200,
    outcome: 'accepted',
    action: 'captured',
    processing: 'processed',
    state: good,
    asExpected: true,
    ...overrides,
  };
}

const rows = { webhook_events: 1, payments: 1, captures: 1 };

describe('the demo summary decides the exit code', () => {
  it('has no problems when every checkout is captured for its amount with one order', () => {
    const summary = summarize([checkout], new Map([['stripe', good]]), [entry()], rows);
    expect(summary.problems).toEqual([]);
    expect(formatSummary(summary)).toContain('All checkouts ended as expected');
    expect(formatSummary(summary)).toMatch(/pp_stripe_stripe +42\.00 USD +1 +1 +0 +0 +captured +completed +42\.00 USD +1 +ok/);
  });

  it('reports a session that did not end captured, a short capture, a second order and a second capture', () => {
    const bad: CheckoutState = {
      session: 'authorized',
      collection: 'authorized',
      captured: '40',
      order_id: 'order_1',
      orders: 2,
    };
    const summary = summarize([checkout], new Map([['stripe', bad]]), [entry()], { ...rows, captures: 2 });
    expect(summary.problems).toEqual([
      'stripe_stripe: session is authorized, expected captured',
      'stripe_stripe: collection is authorized, expected completed',
      'stripe_stripe: captured 40, expected 42.00',
      'stripe_stripe: 2 orders, expected 1',
      '2 captures, expected 1',
    ]);
    expect(formatSummary(summary)).toContain('FAILED: 5 unexpected result(s)');
  });

  it('reports a delivery the route answered otherwise than the scenario expects (a forged one accepted)', () => {
    const forged = entry({ step: STEPS.find((s) => s.label === 'stripe-forged')!, status: 200, asExpected: false });
    const summary = summarize([checkout], new Map([['stripe', good]]), [forged], { ...rows, webhook_events: 1 });
    expect(summary.problems).toContain(
      'stripe_stripe: delivery #1 (payment_intent.succeeded) answered 200 accepted, expected 401',
    );
    expect(formatTimelineEntry(forged)).toContain('UNEXPECTED: the scenario expects HTTP 401');
  });

  it('counts stored webhook events against the deliveries the route accepted', () => {
    const summary = summarize([checkout], new Map([['stripe', good]]), [entry()], { ...rows, webhook_events: 2 });
    expect(summary.problems).toEqual(['2 stored webhook events, expected 1']);
  });
});

describe('the timeline', () => {
  it('shows event → verified → action → state → order on one line, and why a delivery is special below it', () => {
    const duplicate = entry({ index: 6, step: STEPS.find((s) => s.label === 'stripe-succeeded-again')!, outcome: 'duplicate' });
    const [line, note] = formatTimelineEntry(duplicate).split('\n');
    expect(line).toMatch(
      /^6 +stripe_stripe +payment_intent\.succeeded +200 duplicate +captured +captured \/ completed +order_1… \(1 order\)$/,
    );
    expect(note).toBe('    ↳ duplicate: Stripe redelivers the same event');
  });

  it('marks a refused delivery and a cart that stayed open', () => {
    const refused = entry({
      status: 401,
      outcome: 'unauthorized',
      action: undefined,
      state: { ...good, session: 'pending', collection: 'awaiting', order_id: null, orders: 0 },
    });
    expect(formatTimelineEntry(refused).split('\n')[0]).toMatch(/401 REFUSED +— +pending \/ awaiting +cart open$/);
  });
});
