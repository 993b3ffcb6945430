import type { OutboxEventDTO, PaymentModule } from '@tender/payment-module';
import { type Command, type CommandContext, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { limitFlag } from '../config/config-schema.js';
import { UsageError } from '../errors.js';
import { openModule } from '../host/open-module.js';
import { formatTable, toJson } from '../output.js';

const USAGE = `Usage:
  tender events list [--status <status>] [--name <event name>] [--tenant <tenant>] [--limit <n>] [--json]
  tender events show <event id> [--json]
  tender events replay <event id> [--subscriber <name>] [--json]`;

const time = (date: Date | string | null) => (date ? new Date(date).toISOString().replace('T', ' ').slice(0, 19) : '—');

/** Each subscriber's state of the event, e.g. `ship:delivered mail:dead(8)`. */
function deliveries(row: OutboxEventDTO): string {
  return Object.entries(row.deliveries)
    .map(([name, d]) => `${name}:${d.status}${d.status === 'delivered' ? '' : `(${d.attempts})`}`)
    .join(' ');
}

async function list(values: Record<string, unknown>, ctx: CommandContext, payments: PaymentModule) {
  const limit = limitFlag(values.limit as string | undefined, 50);
  const [rows, stats] = await Promise.all([
    payments.events.list({
      status: values.status as string | undefined,
      name: values.name as string | undefined,
      tenant: values.tenant as string | undefined,
      take: limit,
    }),
    payments.events.stats(),
  ]);
  if (values.json) {
    ctx.out.line(toJson({ ...stats, events: rows }));
    return;
  }
  const dead = Object.entries(stats.outbox_dead).map(([name, n]) => `${name} ${n}`);
  ctx.out.line(
    `Undelivered: ${stats.outbox_undelivered}, oldest ${stats.outbox_lag_seconds.toFixed(1)} s ago; dead: ${dead.join(', ') || 'none'}`,
  );
  if (rows.length === 0) {
    ctx.out.line('No events match.');
    return;
  }
  ctx.out.line(
    formatTable<OutboxEventDTO>(rows, [
      { header: 'id', value: (r) => r.id },
      { header: 'created (UTC)', value: (r) => time(r.created_at) },
      { header: 'name', value: (r) => r.name },
      { header: 'tenant', value: (r) => r.tenant },
      { header: 'collection', value: (r) => r.payment_collection_id ?? '—' },
      { header: 'status', value: (r) => r.status },
      { header: 'subscribers', value: deliveries },
    ]),
  );
}

async function show(id: string, json: boolean, ctx: CommandContext, payments: PaymentModule) {
  const event = await payments.events.retrieve(id);
  if (json) {
    ctx.out.line(toJson(event));
    return;
  }
  const { data, deliveries: states, ...fields } = event;
  for (const [key, value] of Object.entries(fields)) {
    ctx.out.line(`${key.padEnd(16)} ${value instanceof Date ? value.toISOString() : String(value ?? '—')}`);
  }
  ctx.out.line(`${'data'.padEnd(16)} ${JSON.stringify(data)}`);
  ctx.out.line('subscribers');
  for (const [name, d] of Object.entries(states)) {
    ctx.out.line(`  ${name}: ${d.status}, ${d.attempts} attempt(s), ${d.at}${d.error ? `, ${d.error}` : ''}`);
  }
}

export const eventsCommand: Command = {
  name: 'events',
  summary: 'list, inspect and replay the domain events in the outbox',
  help: `${USAGE}

list     the newest events first, with the outbox's lag and dead subscribers;
         --status pending|processing|failed|delivered|dead (dead: a subscriber gave up after its attempts)
show     one event with its data and each subscriber's delivery state
replay   deliver the event again to the subscribers that do not have it (those that gave up get fresh
         attempts), or with --subscriber to that one even if it had it; handlers deduplicate on the event id

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        status: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        limit: { type: 'string' },
        subscriber: { type: 'string' },
      },
      2,
    );
    const [action, id] = positionals;
    if (action !== 'list' && action !== 'show' && action !== 'replay') throw new UsageError(USAGE);
    if (action !== 'list' && !id) throw new UsageError(`Pass the event id: tender events ${action} <id>.`);
    const { payments } = await openModule(values, { cwd: ctx.cwd, verbose: ctx.verbose, providers: false });
    try {
      if (action === 'list') await list(values, ctx, payments);
      else if (action === 'show') await show(id!, Boolean(values.json), ctx, payments);
      else {
        const event = await payments.events.replay(id!, { subscriber: values.subscriber as string | undefined });
        if (values.json) ctx.out.line(toJson(event));
        else ctx.out.line(`Queued ${event.id} (${event.name}) again: status ${event.status}; the host's relay delivers it.`);
      }
      return 0;
    } finally {
      await payments.close();
    }
  },
};
