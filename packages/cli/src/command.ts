import { type ParseArgsConfig, parseArgs } from 'node:util';
import { checkDatabaseUrlFlag } from './config/config-schema.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';

export interface CommandContext {
  out: Output;
  /** Set by `--verbose`: stack traces and the module's info logs. */
  verbose: boolean;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Printed by `tender <name> --help`. */
  help: string;
  /** Resolves to the exit code. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'database-url': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const GLOBAL_HELP = `Global options:
  -c, --config <file>     tender.config.ts to load (default: ./tender.config.{ts,mts,js,mjs}, else the environment)
  --database-url <url>    PostgreSQL URL (default: the config's databaseUrl, else DATABASE_URL)
  --json                  print listings as JSON
  -v, --verbose           log what the module does; print stack traces of errors
  -h, --help              show help`;

/** parseArgs with the global options added and its errors turned into usage errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, maxPositionals = 0) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof GLOBAL_OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[maxPositionals]}".`);
  }
  checkDatabaseUrlFlag((parsed.values as { 'database-url'?: string })['database-url']);
  return parsed;
}
