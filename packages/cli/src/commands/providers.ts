import { type Command, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { loadConfig } from '../config/load-config.js';
import { UsageError } from '../errors.js';
import { formatTable, toJson } from '../output.js';
import { configuredProviders, defaultBaseUrl, webhookUrl } from '../providers/configured-providers.js';
import { simulatorFor } from '../providers/simulators.js';

export const providersCommand: Command = {
  name: 'providers',
  summary: 'list the configured providers, their webhook URLs and the events they send',
  help: `Usage: tender providers list [--url <base url>] [--json]

Lists every provider of the configuration (validated as the module validates it; no database needed):
its registry id, its webhook URL and the events to subscribe to at the gateway. Without a config file,
the providers the environment configures (Stripe from STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET, the
system provider from TENDER_SYSTEM_WEBHOOK_SECRET).

  --url <base url>        public base URL of the host (default: http://127.0.0.1:<port of tender dev>)

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { url: { type: 'string' } }, 1);
    if (positionals[0] !== 'list') throw new UsageError('Usage: tender providers list [--url <base url>] [--json]');
    const { config, source } = await loadConfig({ path: values.config, cwd: ctx.cwd });
    const base = values.url ?? defaultBaseUrl(config);
    const rows = configuredProviders(config).map((p) => ({
      id: p.id,
      identifier: p.identifier,
      route_key: p.routeKey,
      webhook_url: webhookUrl(base, p),
      events: simulatorFor(p.identifier)?.events(p.options) ?? [],
    }));
    if (values.json) {
      ctx.out.line(toJson(rows));
      return 0;
    }
    if (rows.length === 0) {
      ctx.out.line(
        `No providers configured: ${source ? `${source} lists none` : 'there is no tender.config.ts here and no provider variables are set (STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET, TENDER_SYSTEM_WEBHOOK_SECRET)'}.`,
      );
      return 0;
    }
    ctx.out.line(`Providers from ${source ?? 'the environment (no tender.config.ts found)'}:\n`);
    ctx.out.line(
      formatTable(rows, [
        { header: 'id', value: (r) => r.id },
        { header: 'webhook URL', value: (r) => r.webhook_url },
        { header: 'events', value: (r) => r.events.join(', ') || '(see the provider README)' },
      ]),
    );
    return 0;
  },
};
