import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../errors.js';
import { checkConfig } from './config-schema.js';
import { configFromEnvironment } from './env-config.js';
import type { TenderConfig } from './types.js';

export const CONFIG_FILE_NAMES = ['tender.config.ts', 'tender.config.mts', 'tender.config.js', 'tender.config.mjs'];

export interface LoadedConfig {
  config: TenderConfig;
  /** The file it came from, or undefined when built from the environment. */
  source: string | undefined;
}

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

function checkShape(config: unknown, source: string): TenderConfig {
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new CliError(`${source} must export default an object of options, e.g. \`export default { providers: [...] }\`.`);
  }
  // Every option, with the module's own schema: a bad value or a misspelt name names the file and the option.
  return checkConfig(config, source);
}

/**
 * Loads `--config`, else the first tender.config.{ts,mts,js,mjs} in the working directory, else the
 * environment. Node strips TypeScript types natively, so a config in plain (erasable) TypeScript loads as is.
 */
export async function loadConfig(options: { path?: string; cwd?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.path ? resolve(cwd, options.path) : findConfigFile(cwd);
  if (!path) return { config: configFromEnvironment(), source: undefined };
  if (!existsSync(path)) throw new CliError(`Config file ${path} does not exist.`);
  let loaded: { default?: unknown };
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new CliError(`Could not load ${path}: ${(error as Error).message}`, { cause: error });
  }
  const exported = typeof loaded.default === 'function' ? await (loaded.default as () => unknown)() : loaded.default;
  return { config: checkShape(exported, path), source: path };
}
