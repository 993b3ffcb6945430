import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener, type WebhookResult } from '@tender/http';
import type { PaymentModule } from '@tender/payment-module';
import { internalsOf } from '@tender/payment-module/internal';
import { type Command, type CommandContext, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { parsePort, SYSTEM_SECRET_VARIABLE, withRunSystemProvider } from '../config/env-config.js';
import { loadConfig } from '../config/load-config.js';
import { type DevDatabase, startDevDatabase } from '../dev/dev-database.js';
import { createDevServer } from '../dev/dev-server.js';
import { CliError } from '../errors.js';
import { databaseUrlOf, openModule } from '../host/open-module.js';
import { webhookUrl } from '../providers/configured-providers.js';
import { takeOverSignals } from '../signals.js';

function maskPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
}

function describeResult(r: WebhookResult): string {
  const at = new Date().toISOString().slice(11, 19);
  const what = r.outcome ? `${r.outcome} ${r.action ?? ''} ${r.event_id ?? ''}` : `${r.error_type}: ${r.error_message}`;
  return `${at}  ${r.method} ${r.path}  ${r.status}  ${what.trim()}  (${Math.round(r.latency_ms)} ms)`;
}

/** Listens, with a port already taken said plainly; resolves with the base URL to print. */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError(`Port ${port} is in use: pass --port <another> (or 0 for any free port).`)
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
}

function printBanner(
  out: CommandContext['out'],
  {
    payments,
    base,
    source,
    devDatabase,
    secret,
  }: {
    payments: PaymentModule;
    base: string;
    source: string | undefined;
    devDatabase: DevDatabase | undefined;
    secret: string | undefined;
  },
): void {
  out.line(`Tender dev host on ${base} (config: ${source ?? 'environment'})`);
  out.line(
    devDatabase
      ? `Database: ${payments.databaseUrl} (${devDatabase.description})`
      : `Database: ${maskPassword(payments.databaseUrl)}`,
  );
  if (secret) out.line(`System provider secret for this run (no config file): ${secret}`);
  out.line('Webhook URLs:');
  for (const provider of internalsOf(payments).registry.list())
    out.line(`  ${provider.id.padEnd(24)} ${webhookUrl(base, provider)}`);
  const [first] = internalsOf(payments).registry.list();
  if (first) {
    const env = secret && first.identifier === 'system' ? `${SYSTEM_SECRET_VARIABLE}=${secret} ` : '';
    const db = devDatabase ? ` --database-url ${payments.databaseUrl}` : '';
    out.line(`Send a signed test event: ${env}tender simulate ${first.routeKey} <event> --session <id> --url ${base}${db}`);
  }
}

export const devCommand: Command = {
  name: 'dev',
  summary: 'run a dev host: the database, the worker and the webhook route, printing each webhook URL',
  help: `Usage: tender dev [--port <port>] [--host <host>] [--database-url <url>] [--fresh]

Starts the payment module from tender.config.ts (or the environment), migrates its database, runs the
webhook worker with processPaymentWorkflow, and serves the webhook route until Ctrl-C. Without a database
URL it runs an embedded PostgreSQL whose data is kept in .tender/pg, so test payments survive a restart,
and prints its URL, so other commands (tender webhooks list …) can use it while the host runs. Each
request is printed as it is answered, and so is each domain event.

Without a config file the system provider is registered with a secret made for this run (printed), unless
${SYSTEM_SECRET_VARIABLE} sets one.

  --port <port>           default: the config's port, else PORT, else 9000 (0 picks a free port)
  --host <host>           default: the config's host, else 127.0.0.1
  --fresh                 delete the embedded database's data (.tender/pg) and start empty

Then, in another terminal: tender simulate <provider> <event> --session <id>

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' }, fresh: { type: 'boolean' } });
    let flagPort: number | undefined;
    try {
      flagPort = parsePort(values.port, '--port');
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const loaded = await loadConfig({ path: values.config, cwd: ctx.cwd });
    const { config, secret } = loaded.source
      ? { config: loaded.config, secret: undefined }
      : withRunSystemProvider(loaded.config);
    let restoreSignals: () => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      restoreSignals = takeOverSignals(resolve);
    });
    const databaseUrl = databaseUrlOf(values, config);
    let devDatabase: DevDatabase | undefined;
    let opened: Awaited<ReturnType<typeof openModule>>;
    try {
      if (!databaseUrl) devDatabase = await startDevDatabase(ctx.cwd, Boolean(values.fresh));
      opened = await openModule(
        { ...values, 'database-url': databaseUrl ?? devDatabase?.database.url },
        { cwd: ctx.cwd, verbose: ctx.verbose, run: 'worker', migrate: true, loaded: { ...loaded, config } },
      );
    } catch (error) {
      restoreSignals();
      await devDatabase?.database.stop();
      throw error;
    }
    const { payments, source } = opened;
    const server = createDevServer(createNodeListener(payments, { onResult: (r) => ctx.out.line(describeResult(r)) }));
    const unsubscribe = payments.events.subscribe('*', (event) => {
      ctx.out.line(`          event ${event.name} ${JSON.stringify(event.data)}`);
    });
    try {
      const port = flagPort ?? config.port ?? parsePort(process.env.PORT, 'PORT') ?? 9000;
      const host = values.host ?? config.host ?? '127.0.0.1';
      const base = await listen(server, port, host);
      printBanner(ctx.out, { payments, base, source, devDatabase, secret });
      ctx.out.line('Ready. Ctrl-C stops it.');
      const signal = await stopped;
      ctx.out.line(`${signal}: stopping.`);
      return 0;
    } finally {
      restoreSignals();
      unsubscribe();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await payments.close();
      await devDatabase?.database.stop();
    }
  },
};
