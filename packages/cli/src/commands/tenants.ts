import { looksSecret, type PaymentModule, type ProviderConfigSummary, type SetProviderConfigInput } from '@tender/payment-module';
import { type Command, type CommandContext, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { UsageError } from '../errors.js';
import { openModule } from '../host/open-module.js';
import { formatTable, toJson } from '../output.js';

const USAGE = `Usage:
  tender tenants list [--tenant <tenant>] [--json]
  tender tenants set <tenant> <provider id> [--option name=value]... [--secret name=value]... [--json]
  tender tenants remove <tenant> <provider id>
  tender tenants rotate-key [--json]`;

/** `name=value`; the value is read as JSON when it parses (true, 300, ["a","b"]), else as a string. */
function parseAssignments(items: string[] | undefined, flag: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const item of items ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} takes name=value, got "${item}".`);
    const raw = item.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // A plain string such as a secret: kept exactly as typed.
    }
    result[item.slice(0, at)] = value;
  }
  return result;
}

/** `--option` values are stored in plain text: a secret given there would sit unencrypted in the database. */
function refuseSecretOptions(options: Record<string, unknown>): void {
  const secretLooking = Object.keys(options).filter(looksSecret);
  if (secretLooking.length === 0) return;
  const [first] = secretLooking;
  throw new UsageError(
    `--option ${secretLooking.join(', ')} looks like a secret, and --option values are stored unencrypted: ` +
      `pass it as --secret ${first}=… (encrypted with TENDER_ENCRYPTION_KEY).`,
  );
}

const providerId = (name: string) => (name.startsWith('pp_') ? name : `pp_${name}`);

async function list(tenant: string | undefined, json: boolean, ctx: CommandContext, payments: PaymentModule) {
  const rows = await payments.tenants.listProviderConfigs({ tenant });
  if (json) ctx.out.line(toJson(rows));
  else if (rows.length === 0) ctx.out.line('No tenant provider configurations stored.');
  else
    ctx.out.line(
      formatTable<ProviderConfigSummary>(rows, [
        { header: 'tenant', value: (r) => r.tenant },
        { header: 'provider', value: (r) => r.provider_id },
        { header: 'options', value: (r) => JSON.stringify(r.options) },
        { header: 'secrets', value: (r) => r.secret_names.map((n) => `${n}=***`).join(', ') || '—' },
        { header: 'key id', value: (r) => r.key_id ?? '—' },
      ]),
    );
}

async function set(input: SetProviderConfigInput, json: boolean, ctx: CommandContext, payments: PaymentModule) {
  const summary = await payments.tenants.setProviderConfig(input);
  if (json) ctx.out.line(toJson(summary));
  else
    ctx.out.line(
      `Stored ${summary.provider_id} for tenant ${summary.tenant}: options ${JSON.stringify(summary.options)}, ` +
        `secrets ${summary.secret_names.join(', ') || 'none'}${summary.key_id ? ` (key ${summary.key_id})` : ''}.`,
    );
}

/** Resolves to the exit code: 1 when there was nothing to remove. */
async function remove(tenant: string, provider_id: string, ctx: CommandContext, payments: PaymentModule) {
  const removed = await payments.tenants.removeProviderConfig({ tenant, provider_id });
  ctx.out.line(
    removed ? `Removed ${provider_id} for tenant ${tenant}.` : `Tenant ${tenant} had no configuration for ${provider_id}.`,
  );
  return removed ? 0 : 1;
}

async function rotateKey(json: boolean, ctx: CommandContext, payments: PaymentModule) {
  const result = await payments.tenants.rotateEncryptionKey();
  if (json) ctx.out.line(toJson(result));
  else ctx.out.line(`Re-encrypted ${result.rotated} configuration(s) with key ${result.key_id}.`);
}

export const tenantsCommand: Command = {
  name: 'tenants',
  summary: "manage tenants' provider configurations (secrets encrypted with TENDER_ENCRYPTION_KEY)",
  help: `${USAGE}

set         store options for one tenant and provider, merged over the module's options when that tenant's
            webhooks arrive (/hooks/payment/<provider>/<tenant>). --secret values are encrypted with
            TENDER_ENCRYPTION_KEY and never printed; --option values are stored as they are,
            so a secret-looking name (secret, key, token, password…) is refused there.
list        every stored configuration; secrets are listed by name only
remove      delete one tenant's configuration for a provider (the module's options apply again)
rotate-key  re-encrypt every stored secret with the current TENDER_ENCRYPTION_KEY (keep the old key in
            TENDER_PREVIOUS_ENCRYPTION_KEYS until this has run)

Example: tender tenants set acme stripe_stripe --secret apiKey=sk_test_… --secret webhookSecret=whsec_…

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        tenant: { type: 'string' },
        option: { type: 'string', multiple: true },
        secret: { type: 'string', multiple: true },
      },
      3,
    );
    const [action, tenant, provider] = positionals;
    if (!['list', 'set', 'remove', 'rotate-key'].includes(action ?? '')) throw new UsageError(USAGE);
    if ((action === 'set' || action === 'remove') && (!tenant || !provider)) {
      throw new UsageError(`Pass the tenant and the provider: tender tenants ${action} <tenant> <provider id>.`);
    }
    const options = parseAssignments(values.option, '--option');
    refuseSecretOptions(options);
    const secrets = parseAssignments(values.secret, '--secret');
    const json = Boolean(values.json);
    const { payments } = await openModule(values, { cwd: ctx.cwd, verbose: ctx.verbose });
    try {
      if (action === 'list') await list(values.tenant, json, ctx, payments);
      else if (action === 'set')
        await set({ tenant: tenant!, provider_id: providerId(provider!), options, secrets }, json, ctx, payments);
      else if (action === 'remove') return await remove(tenant!, providerId(provider!), ctx, payments);
      else await rotateKey(json, ctx, payments);
      return 0;
    } finally {
      await payments.close();
    }
  },
};
