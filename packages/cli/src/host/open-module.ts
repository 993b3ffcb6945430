import { createLogger, createPaymentModule, type PaymentModule } from '@tender/payment-module';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import type { TenderConfig } from '../config/types.js';
import { CliError } from '../errors.js';

export interface ModuleFlags {
  config?: string;
  'database-url'?: string;
}

export const NO_DATABASE_MESSAGE =
  'No database to work on: pass --database-url, set DATABASE_URL, or set databaseUrl in tender.config.ts ' +
  '(`tender dev` prints the URL of the database it runs on).';

/** `--database-url`, else the config's `databaseUrl`, else DATABASE_URL. */
export function databaseUrlOf(flags: ModuleFlags, config: TenderConfig): string | undefined {
  return flags['database-url'] || config.databaseUrl || process.env.DATABASE_URL || undefined;
}

export interface OpenedModule extends LoadedConfig {
  payments: PaymentModule;
}

/**
 * The payment module as the config describes it, for one command. Commands that read or change stored
 * data need a real database: an embedded one would start empty and vanish when the command ends.
 */
export async function openModule(
  flags: ModuleFlags,
  options: {
    cwd: string;
    verbose: boolean;
    run?: 'worker' | 'none';
    migrate?: boolean;
    requireDatabase?: boolean;
    /** False for commands that only read or requeue stored rows: a provider's missing API key must not stop them. */
    providers?: boolean;
    /** The configuration, when the command loaded (and adjusted) it itself. */
    loaded?: LoadedConfig;
  },
): Promise<OpenedModule> {
  const loaded = options.loaded ?? (await loadConfig({ path: flags.config, cwd: options.cwd }));
  const { config } = loaded;
  const databaseUrl = databaseUrlOf(flags, config);
  if (!databaseUrl && (options.requireDatabase ?? true)) throw new CliError(NO_DATABASE_MESSAGE);
  const { port: _port, host: _host, ...moduleOptions } = config;
  const runWorker = options.run === 'worker';
  const payments = await createPaymentModule({
    ...moduleOptions,
    providers: options.providers === false ? [] : moduleOptions.providers,
    databaseUrl,
    migrate: options.migrate ?? config.migrate,
    workflow: runWorker ? (config.workflow ?? processPaymentWorkflow) : config.workflow,
    worker: runWorker ? config.worker : false,
    logger: config.logger ?? createLogger({ level: options.verbose ? 'info' : runWorker ? 'warn' : 'silent' }),
  });
  return { ...loaded, payments };
}
