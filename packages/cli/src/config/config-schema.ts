import { describeOptionIssues, describeValue, strictOptions } from '@tender/core';
import { paymentModuleOptionsSchema, postgresUrlProblem } from '@tender/payment-module';
import { z } from 'zod';
import { CliError, UsageError } from '../errors.js';
import type { TenderConfig } from './types.js';

const PORT = 'a port number between 0 and 65535';

/** A port as a number or as the text of one (`port: process.env.PORT`); 0 is any free port. */
const port = z
  .union([z.number(), z.string()], { error: (issue) => `must be ${PORT}, got ${describeValue(issue.input)}` })
  .superRefine((value, context) => {
    if (value === '') return;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0 || number > 65535) {
      context.addIssue({ code: 'custom', message: `must be ${PORT}, got "${String(value).slice(0, 20)}"` });
    }
  })
  .optional();

/**
 * What `tender.config.ts` may export: `createPaymentModule`'s options (the module's own schema, so a bad
 * value is named the same way) plus `port` and `host` of `tender dev`. Any other name is refused.
 */
export const tenderConfigSchema = strictOptions(
  {
    ...paymentModuleOptionsSchema.shape,
    port,
    host: z
      .string({
        error: (issue) => `must be the interface tender dev binds to, e.g. "127.0.0.1", got ${describeValue(issue.input)}`,
      })
      .min(1, 'must be the interface tender dev binds to, e.g. "127.0.0.1" or "0.0.0.0"')
      .optional(),
  },
  'an object of options, e.g. `export default { providers: [...] }`',
);

/** The config file's export checked: one CliError naming the file, every bad option and what it must be. */
export function checkConfig(config: unknown, source: string): TenderConfig {
  const result = tenderConfigSchema.safeParse(config);
  if (result.success) return config as TenderConfig;
  throw new CliError(`${source}: ${describeOptionIssues(result.error.issues)}.`);
}

/** `--limit`: a whole number of rows, at least 1. */
export function limitFlag(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const result = z.coerce
    .number()
    .int()
    .min(1)
    .safeParse(value.trim() === '' ? Number.NaN : value);
  if (!result.success) throw new UsageError(`--limit must be a positive integer, got "${value}".`);
  return result.data;
}

/** `--database-url`: a PostgreSQL URL, checked before anything connects (the value is never repeated). */
export function checkDatabaseUrlFlag(value: string | undefined): void {
  const problem = value === undefined || value === '' ? undefined : postgresUrlProblem(value);
  if (problem) throw new UsageError(`--database-url ${problem}.`);
}
