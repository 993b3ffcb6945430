import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener, type WebhookResult } from '@tender/http';
import { type Command, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { parsePort } from '../config/env-config.js';
import { CliError } from '../errors.js';
import { openModule } from '../host/open-module.js';
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

export const devCommand: Command = {
  name: 'dev',
  summary: 'run a dev host: the database, the worker and the webhook route, printing each webhook URL',
  help: `Usage: tender dev [--port <port>] [--host <host>] [--database-url <url>]

Starts the payment module from tender.config.ts (or the environment), migrates its database, runs the
webhook worker with processPaymentWorkflow, and serves the webhook route until Ctrl-C. Without a database
URL it starts an embedded PostgreSQL and prints its URL, so other commands (tender webhooks list …) can use
it while the host runs. Each request is printed as it is answered, and so is each domain event.

  --port <port>           default: the config's port, else PORT, else 9000 (0 picks a free port)
  --host <host>           default: the config's host, else 127.0.0.1

Then, in another terminal: tender simulate <provider> <event> --session <id>

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' } });
    let flagPort: number | undefined;
    try {
      flagPort = parsePort(values.port, '--port');
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    let restoreSignals: () => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      restoreSignals = takeOverSignals(resolve);
    });
    let opened: Awaited<ReturnType<typeof openModule>>;
    try {
      opened = await openModule(values, {
        cwd: ctx.cwd,
        verbose: ctx.verbose,
        run: 'worker',
        migrate: true,
        requireDatabase: false,
      });
    } catch (error) {
      restoreSignals();
      throw error;
    }
    const { payments, config, source } = opened;
    const server = createServer(createNodeListener(payments, { onResult: (r) => ctx.out.line(describeResult(r)) }));
    const unsubscribe = payments.events.subscribe('*', (event) => {
      ctx.out.line(`          event ${event.name} ${JSON.stringify(event.data)}`);
    });
    try {
      const port = flagPort ?? config.port ?? parsePort(process.env.PORT, 'PORT') ?? 9000;
      const host = values.host ?? config.host ?? '127.0.0.1';
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
      const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
      const embedded = !values['database-url'] && !config.databaseUrl && !process.env.DATABASE_URL;
      ctx.out.line(`Tender dev host on ${base} (config: ${source ?? 'environment'})`);
      ctx.out.line(
        embedded
          ? `Database: ${payments.databaseUrl} (embedded; deleted when this process stops)`
          : `Database: ${maskPassword(payments.databaseUrl)}`,
      );
      ctx.out.line('Webhook URLs:');
      for (const provider of payments.registry.list()) ctx.out.line(`  ${provider.id.padEnd(24)} ${webhookUrl(base, provider)}`);
      const [first] = payments.registry.list();
      if (first) {
        const db = embedded ? ` --database-url ${payments.databaseUrl}` : '';
        ctx.out.line(`Send a signed test event: tender simulate ${first.routeKey} <event> --session <id> --url ${base}${db}`);
      }
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
    }
  },
};
