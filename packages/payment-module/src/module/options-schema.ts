import {
  checkOptions,
  describeValue,
  functionOption,
  methodsOption,
  strictOptions,
  TenderError,
  unknownOptionsMessage,
  wholeNumberOption,
} from '@tender/core';
import { z } from 'zod';
import { claimLoopFields } from '../leases/claim-loop-options.js';
import { keyProblem } from '../tenants/keyring.js';
import { checkWorkerOptions, type WorkerOptions } from '../webhooks/worker-options.js';
import { flagOption, millisecondsOption } from './option-fields.js';
import type { PaymentModuleOptions } from './options.js';

const POSTGRES_URL = 'a PostgreSQL URL such as postgresql://user:password@host:5432/database';

/**
 * Why `value` is not a PostgreSQL URL (never repeating it: it may carry a password), or undefined. An empty
 * string counts as no URL, as it always has (`databaseUrl: process.env.DATABASE_URL` with the variable empty).
 */
export function postgresUrlProblem(value: string): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be ${POSTGRES_URL}; the value given is not a URL`;
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    return `must be ${POSTGRES_URL}, got a "${url.protocol}" URL`;
  }
  return undefined;
}

const postgresUrl = z
  .string({ error: (issue) => `must be ${POSTGRES_URL}, got ${describeValue(issue.input)}` })
  .superRefine((value, context) => {
    const problem = postgresUrlProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]*$/i;

const providerClass = (value: unknown): boolean => {
  const identifier = typeof value === 'function' ? (value as { identifier?: unknown }).identifier : undefined;
  return typeof identifier === 'string' && identifier !== '';
};

/** One `{ resolve, id, options }`; its options are the provider's own schema's business (validateOptions). */
const providerRegistration = strictOptions(
  {
    resolve: z.custom<unknown>(
      (value) =>
        providerClass(value) ||
        (typeof value === 'object' && value !== null && providerClass((value as { default?: unknown }).default)),
      {
        error: (issue) =>
          `must be a provider class with a static \`identifier\` (or a module whose default export is one), got ${describeValue(issue.input)}`,
      },
    ),
    id: z
      .string({ error: (issue) => `needs an \`id\` of letters, digits and "-", got ${describeValue(issue.input)}` })
      .regex(PROVIDER_ID, {
        error: (issue) =>
          `needs an \`id\` of letters, digits and "-" (the provider is pp_{identifier}_{id}), got "${String(issue.input).slice(0, 40)}"`,
      }),
    options: z
      .record(z.string(), z.unknown(), {
        error: (issue) => `must be an object of the provider's options, got ${describeValue(issue.input)}`,
      })
      .optional(),
  },
  'a provider registration: { resolve: ProviderClass, id: "default", options: { … } }',
);

const encryptionKey = z
  .string({ error: (issue) => `must be a 32-byte key as 64 hex characters or base64, got ${describeValue(issue.input)}` })
  .superRefine((value, context) => {
    const problem = keyProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** `outbox`: the relay of this process (see OutboxOptions and RelayOptions). */
const outboxOptions = strictOptions({
  relay: flagOption('false: this process delivers no events'),
  retentionMs: millisecondsOption('how long delivered events are kept'),
  shutdownTimeoutMs: millisecondsOption('how long close() waits for deliveries'),
  ...claimLoopFields('events'),
  concurrency: wholeNumberOption('a whole number of collections delivered at once', 1),
}).optional();

/** Every worker option, so a misspelt one is named with the valid ones (its values are the worker's schema's). */
const WORKER_OPTION_NAMES = [
  'batchSize',
  'batchesInFlight',
  'concurrency',
  'leaseMs',
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'pollIntervalMs',
  'listen',
  'shutdownTimeoutMs',
] as const satisfies readonly (keyof WorkerOptions)[];
type UnlistedWorkerOption = Exclude<keyof WorkerOptions, (typeof WORKER_OPTION_NAMES)[number]>;
const everyWorkerOptionListed: [UnlistedWorkerOption] extends [never] ? true : UnlistedWorkerOption = true;
void everyWorkerOptionListed;

/** `worker`: false, or options the worker's own schema checks (the same check `createWorker` makes). */
const workerOptions = z
  .unknown()
  .superRefine((value, context) => {
    if (value === undefined || value === false) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      context.addIssue({
        code: 'custom',
        message: `must be false (no in-process worker) or an object of worker options ({} for the defaults), got ${describeValue(value)}`,
      });
      return;
    }
    const names: readonly string[] = WORKER_OPTION_NAMES;
    const unknown = Object.keys(value).filter((key) => !names.includes(key));
    if (unknown.length) context.addIssue({ code: 'custom', message: unknownOptionsMessage(unknown, names) });
    const known = Object.fromEntries(Object.entries(value).filter(([key]) => names.includes(key)));
    try {
      checkWorkerOptions(known);
    } catch (error) {
      if (!TenderError.is(error, 'invalid_data')) throw error;
      const issues = (error.details?.issues ?? []) as { path: PropertyKey[]; message: string }[];
      for (const issue of issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  })
  .optional();

/**
 * `createPaymentModule`'s options. Each key of PaymentModuleOptions has its entry (the `satisfies` below
 * fails the build when one is added without one), and a key that is not an option is refused.
 */
const shape = {
  databaseUrl: postgresUrl.optional(),
  providers: z
    .array(providerRegistration, {
      error: (issue) => `must be an array of { resolve, id, options } registrations, got ${describeValue(issue.input)}`,
    })
    .optional(),
  migrate: flagOption('apply pending migrations on start'),
  workflow: functionOption('a workflow factory such as processPaymentWorkflow'),
  cart: methodsOption('a CartPort', ['retrieveCartByPaymentCollection', 'completeCart']).optional(),
  afterPaymentHook: functionOption('an async function ({ input, session, payment }) the workflow runs after a payment'),
  eventBus: z
    .union([methodsOption('an EventBus', ['publish']), z.array(methodsOption('an EventBus', ['publish']))], {
      error: (issue) => `must be an EventBus (an object with publish) or an array of them, got ${describeValue(issue.input)}`,
    })
    .optional(),
  outbox: outboxOptions,
  logger: methodsOption('a pino-compatible logger', ['info', 'warn', 'error']).optional(),
  worker: workerOptions,
  encryptionKey: encryptionKey.optional(),
  previousEncryptionKeys: z
    .array(encryptionKey, { error: (issue) => `must be an array of keys, got ${describeValue(issue.input)}` })
    .optional(),
  poolSize: wholeNumberOption('a whole number of connections', 1),
  fetch: functionOption('a fetch implementation'),
} satisfies Record<keyof PaymentModuleOptions, z.ZodType>;

export const paymentModuleOptionsSchema = strictOptions(shape, 'an object of options, e.g. { databaseUrl, providers }');

/**
 * The options checked before anything starts, or a TenderError('invalid_data') naming every bad option
 * (`poolSize`, `providers[0].id`, `outbox.batchSize`, a misspelt key…) and what it must be.
 */
export function checkPaymentModuleOptions(options: unknown): PaymentModuleOptions {
  checkOptions(paymentModuleOptionsSchema, options, 'payment module');
  return options as PaymentModuleOptions;
}

/** DATABASE_URL, when the module falls back on it: checked like `databaseUrl`. */
export function checkDatabaseUrlVariable(value: string): void {
  const problem = postgresUrlProblem(value);
  if (problem) throw new TenderError('invalid_data', `DATABASE_URL ${problem}.`);
}
