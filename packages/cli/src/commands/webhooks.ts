import type { WebhookEventDTO } from '@tender/payment-module';
import { type Command, type CommandContext, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { limitFlag } from '../config/config-schema.js';
import { UsageError } from '../errors.js';
import { openModule } from '../host/open-module.js';
import { formatTable, toJson } from '../output.js';

const USAGE = `Usage:
  tender webhooks list [--status <status>] [--provider <provider>] [--tenant <tenant>] [--limit <n>] [--json]
  tender webhooks show <webhook event id> [--json]
  tender webhooks replay <webhook event id> [--json]`;

const time = (date: Date | string | null) => (date ? new Date(date).toISOString().replace('T', ' ').slice(0, 19) : '—');

function oneLine(text: string | null, max = 60): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

async function list(
  values: Record<string, unknown>,
  ctx: CommandContext,
  payments: Awaited<ReturnType<typeof openModule>>['payments'],
) {
  const limit = limitFlag(values.limit as string | undefined, 50);
  const rows = await payments.webhooks.list({
    status: values.status as string | undefined,
    provider: values.provider as string | undefined,
    tenant: values.tenant as string | undefined,
    take: limit,
  });
  if (values.json) {
    ctx.out.line(toJson(rows));
    return;
  }
  if (rows.length === 0) {
    ctx.out.line('No webhook events match.');
    return;
  }
  ctx.out.line(
    formatTable<WebhookEventDTO>(rows, [
      { header: 'id', value: (r) => r.id },
      { header: 'received (UTC)', value: (r) => time(r.received_at) },
      { header: 'provider', value: (r) => r.provider_id },
      { header: 'tenant', value: (r) => r.tenant },
      { header: 'event', value: (r) => r.event_type ?? r.event_id },
      { header: 'action', value: (r) => r.action },
      { header: 'status', value: (r) => r.status },
      { header: 'attempts', value: (r) => String(r.attempts) },
      // An ignored or rejected event has no error, but the worker stored why in its result.
      { header: 'reason / last error', value: (r) => oneLine(r.last_error ?? stringOrNull(r.result?.reason)) },
    ]),
  );
}

export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: 'list, inspect and replay the webhook events in the inbox',
  help: `${USAGE}

list     the newest events first; --status pending|processing|processed|ignored|failed|dead
show     one event with its headers and the body exactly as received
replay   queue the event again with fresh attempts; the host's worker applies it (a replay of an event
         that was already applied changes nothing: the workflow is idempotent)

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { status: { type: 'string' }, provider: { type: 'string' }, tenant: { type: 'string' }, limit: { type: 'string' } },
      2,
    );
    const [action, id] = positionals;
    if (action !== 'list' && action !== 'show' && action !== 'replay') throw new UsageError(USAGE);
    if (action !== 'list' && !id) throw new UsageError(`Pass the webhook event id: tender webhooks ${action} <id>.`);
    const { payments } = await openModule(values, { cwd: ctx.cwd, verbose: ctx.verbose, providers: false });
    try {
      if (action === 'list') {
        await list(values, ctx, payments);
      } else if (action === 'show') {
        const event = await payments.webhooks.retrieve(id!);
        if (values.json) {
          ctx.out.line(toJson({ ...event, raw_body: event.raw_body.toString('utf8') }));
        } else {
          const { raw_body, headers, query, data, result, ...fields } = event;
          for (const [key, value] of Object.entries(fields)) {
            ctx.out.line(`${key.padEnd(16)} ${value instanceof Date ? value.toISOString() : String(value ?? '—')}`);
          }
          ctx.out.line(`${'data'.padEnd(16)} ${JSON.stringify(data)}`);
          ctx.out.line(`${'result'.padEnd(16)} ${JSON.stringify(result)}`);
          ctx.out.line(`${'query'.padEnd(16)} ${JSON.stringify(query)}`);
          ctx.out.line('headers');
          for (const [name, value] of Object.entries(headers)) ctx.out.line(`  ${name}: ${String(value)}`);
          ctx.out.line(`body (${raw_body.length} bytes, as received)`);
          ctx.out.line(raw_body.toString('utf8'));
        }
      } else {
        const event = await payments.webhooks.replay(id!);
        if (values.json) ctx.out.line(toJson(event));
        else
          ctx.out.line(
            `Queued ${event.id} (${event.provider_id} ${event.event_id}) again: status ${event.status}; the host's worker applies it.`,
          );
      }
      return 0;
    } finally {
      await payments.close();
    }
  },
};
