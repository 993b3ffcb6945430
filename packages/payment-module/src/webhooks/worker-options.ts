import { TenderError } from '@tender/core';
import { z } from 'zod';

const count = (what: string) => z.number().int(`${what}: a whole number`).min(1, `${what}: at least 1`).optional();
const ms = (what: string, min = 0) =>
  z.number().int(`${what}: a whole number of ms`).min(min, `${what}: at least ${min} ms`).optional();

/** A worker's options as a host passes them: numbers that make sense, nothing misspelt. */
const workerOptionsSchema = z.strictObject({
  batchSize: count('events claimed per round trip (a batch of 0 would claim nothing)'),
  batchesInFlight: count('batches running at once'),
  concurrency: count('events of a batch run at once'),
  leaseMs: ms('how long a claim lasts', 100),
  maxAttempts: count('attempts before an event is dead'),
  baseDelayMs: ms('the first retry delay'),
  maxDelayMs: ms('the longest retry delay'),
  pollIntervalMs: ms('the fallback poll', 1),
  listen: z.boolean().optional(),
  shutdownTimeoutMs: ms('how long stop() waits'),
});

/** The options checked, or a TenderError naming each bad one and what it must be. */
export function checkWorkerOptions<T extends object>(options: T): T {
  const result = workerOptionsSchema.safeParse(options);
  if (result.success) return options;
  const problems = result.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(options)'}: ${issue.message}`)
    .join('; ');
  throw new TenderError('invalid_data', `Invalid worker options: ${problems}.`, {
    details: { issues: result.error.issues.map((i) => ({ path: i.path, message: i.message })) },
  });
}
