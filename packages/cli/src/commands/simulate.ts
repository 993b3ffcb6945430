import type { RegisteredProvider } from '@tender/payment-module';
import { type Command, type CommandContext, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { loadConfig } from '../config/load-config.js';
import { CliError, UsageError } from '../errors.js';
import { databaseUrlOf, type ModuleFlags, openModule } from '../host/open-module.js';
import { storedSession } from '../host/stored-session.js';
import { responseOutcome, sendDelivery } from '../http/send-delivery.js';
import { toJson } from '../output.js';
import { configuredProviders, defaultBaseUrl, findProvider, webhookUrl } from '../providers/configured-providers.js';
import { simulatorFor } from '../providers/simulators.js';

/**
 * A tenant's stored options merged over the module's, exactly as the host resolves them for the tenant's
 * route, so the event is signed with the tenant's own secret (decrypted with TENDER_ENCRYPTION_KEY).
 */
async function tenantOptions(values: ModuleFlags & { tenant?: string }, ctx: CommandContext, provider: RegisteredProvider) {
  const { payments } = await openModule(values, { cwd: ctx.cwd, verbose: ctx.verbose });
  try {
    const overrides = await payments.tenants.optionsFor(values.tenant!, provider.id);
    return overrides
      ? provider.providerClass.validateOptions({ ...(provider.options as object), ...overrides })
      : provider.options;
  } finally {
    await payments.close();
  }
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'send a correctly signed provider event to a running host (like `stripe trigger`)',
  help: `Usage: tender simulate <provider> <event> --session <id> [--amount <decimal>] [--currency <code>] [--url <base url>]

Builds the event with the provider's own testing helper, signs it with the secret from the configuration,
and sends it over HTTP to the host's webhook route. <provider> is the route key (stripe_stripe) or the
registry id (pp_stripe_stripe); \`tender providers list\` shows each provider's events.

  --session <id>          the Tender payment session the event is about (required)
  --amount <decimal>      amount in major units, e.g. 10.50; default: the session's amount, read from the
                          database (--database-url, the config's databaseUrl or DATABASE_URL)
  --currency <code>       ISO 4217 code; default: the session's currency (Stripe: usd without a database)
  --payment-id <id>       the gateway's payment id (Easypay: required; Stripe: the PaymentIntent id;
                          Ifthenpay: the request id)
  --event-id <id>         reuse an event id to simulate a redelivery
  --tenant <tenant>       send to the tenant route /hooks/payment/<provider>/<tenant>, signed with the tenant's
                          stored secret when a database is known (needs TENDER_ENCRYPTION_KEY)
  --url <base url>        the host (default: http://127.0.0.1:<port of tender dev>)

Exits 0 when the host answered 2xx, 1 otherwise.

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        session: { type: 'string' },
        amount: { type: 'string' },
        currency: { type: 'string' },
        'payment-id': { type: 'string' },
        'event-id': { type: 'string' },
        tenant: { type: 'string' },
        url: { type: 'string' },
      },
      2,
    );
    const [providerName, event] = positionals;
    if (!providerName || !event) throw new UsageError('Usage: tender simulate <provider> <event> --session <id>');
    if (!values.session) throw new UsageError('Pass --session <id>: the payment session the event is about.');
    const { config } = await loadConfig({ path: values.config, cwd: ctx.cwd });
    const provider = findProvider(configuredProviders(config), providerName);
    const simulator = simulatorFor(provider.identifier);
    if (!simulator) throw new CliError(`tender simulate does not know how to sign events of "${provider.identifier}" providers.`);
    const events = simulator.events(provider.options);
    if (!events.includes(event)) {
      throw new CliError(`${provider.id} does not send "${event}". Its events: ${events.join(', ')}.`);
    }
    // The session's own amount, currency and gateway payment when a database is known: what the gateway would
    // send (an event about another payment object would be ignored).
    const databaseUrl = databaseUrlOf(values, config);
    const stored = databaseUrl ? await storedSession(databaseUrl, values.session) : undefined;
    const options = values.tenant && databaseUrl ? await tenantOptions(values, ctx, provider) : provider.options;
    const delivery = simulator.build(options, {
      event,
      session: values.session,
      amount: values.amount ?? stored?.amount,
      currency: values.currency ?? stored?.currency_code,
      paymentId: values['payment-id'] ?? stored?.payment_id,
      eventId: values['event-id'],
    });
    const url = webhookUrl(values.url ?? defaultBaseUrl(config), provider, values.tenant);
    let response: Awaited<ReturnType<typeof sendDelivery>>;
    try {
      response = await sendDelivery(url, delivery);
    } catch (error) {
      throw new CliError(`Could not reach ${url}: ${(error as Error).message}. Is \`tender dev\` (or your host) running?`, {
        cause: error,
      });
    }
    const ok = response.status >= 200 && response.status < 300;
    if (values.json) {
      ctx.out.line(toJson({ url, method: delivery.method, event, status: response.status, response: response.body }));
    } else {
      ctx.out.line(`→ ${delivery.method} ${url}  ${event} for ${values.session}`);
      ctx.out.line(`← ${response.status} ${responseOutcome(response)}  ${JSON.stringify(response.body)}`);
    }
    return ok ? 0 : 1;
  },
};
