import type { TimelineEntry } from './run-scenario.js';

const WIDTHS = { index: 3, provider: 17, event: 41, verified: 16, action: 11, state: 30 };

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

export function timelineHeader(): string {
  return [
    pad('#', WIDTHS.index),
    pad('provider route', WIDTHS.provider),
    pad('event', WIDTHS.event),
    pad('verified', WIDTHS.verified),
    pad('action', WIDTHS.action),
    pad('state (session / collection)', WIDTHS.state),
    'cart / order',
  ].join(' ');
}

function verified(entry: TimelineEntry): string {
  if (entry.status >= 200 && entry.status < 300) return `${entry.status} ${entry.outcome}`;
  return `${entry.status} ${entry.outcome === 'unauthorized' ? 'REFUSED' : entry.outcome}`;
}

function order(entry: TimelineEntry): string {
  if (!entry.state.order_id) return 'cart open';
  return `${entry.state.order_id.slice(0, 14)}… (${entry.state.orders} order${entry.state.orders === 1 ? '' : 's'})`;
}

/**
 * One line per delivery: event → verified → action → state → cart/order, then an indented line saying
 * why the delivery is special and what the workflow made of it.
 */
export function formatTimelineEntry(entry: TimelineEntry): string {
  const line = [
    pad(String(entry.index), WIDTHS.index),
    pad(entry.checkout.route_key, WIDTHS.provider),
    pad(entry.step.event, WIDTHS.event),
    pad(verified(entry), WIDTHS.verified),
    pad(entry.action ?? '—', WIDTHS.action),
    pad(`${entry.state.session} / ${entry.state.collection}`, WIDTHS.state),
    order(entry),
  ].join(' ');
  const notes: string[] = [];
  if (entry.step.note) notes.push(entry.step.note);
  if (entry.processing && entry.processing !== 'processed') notes.push(`worker: ${entry.processing}`);
  if (!entry.asExpected) {
    notes.push(
      `UNEXPECTED: the scenario expects HTTP ${entry.step.expectStatus}${entry.step.expectOutcome ? ` ${entry.step.expectOutcome}` : ''}`,
    );
  }
  return notes.length ? `${line}\n${' '.repeat(WIDTHS.index + 1)}↳ ${notes.join('; ')}` : line;
}
