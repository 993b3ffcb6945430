import { TenderError, wholeNumberOption } from '@tender/core';
import { z } from 'zod';
import { type ClaimLoopOptions, claimLoopFields } from '../leases/claim-loop-options.js';
import { millisecondsOption } from '../module/option-fields.js';

/** How a webhook worker claims and runs events; every option has a default (WORKER_DEFAULTS). */
export interface WorkerOptions extends ClaimLoopOptions {
  /**
   * Events claimed per round trip; they run at the same moment, so their authorizations share one commit.
   * A worker that dies holds its claimed events until their lease runs out.
   */
  batchSize?: number;
  /**
   * Claimed batches run at the same time: while one batch waits for its commits (the claim, the shared
   * authorization), the others run their per-event steps (carts, outcomes), which keeps both the database
   * and the process busy. Each batch runs up to `concurrency` events.
   */
  batchesInFlight?: number;
  /**
   * Events of a batch processed at the same time. Events of one payment collection still apply one at
   * a time (each change takes the collection's row lock); different collections proceed in parallel.
   * Their statements share the pool (`poolSize`); past it, they wait their turn for a connection. By
   * default the whole batch at once: events that run at the same moment share their authorization's
   * reads and commit (bench, batches of 32: 1.74 write transactions per webhook at concurrency 8,
   * 0.75–0.80 at 32; batches of 64, two in flight: 0.70–0.75 and e2e/DB 40.7–42.3% in four runs).
   */
  concurrency?: number;
  /** How long `stop()` (and SIGTERM in `startWorker()`) waits for the events in flight (default 30 s). */
  shutdownTimeoutMs?: number;
}

/** What a worker does with an option it is not given. */
export const WORKER_DEFAULTS: Required<WorkerOptions> = {
  batchSize: 64,
  batchesInFlight: 2,
  concurrency: 64,
  leaseMs: 5_000,
  maxAttempts: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 3_600_000,
  pollIntervalMs: 1_000,
  listen: true,
  shutdownTimeoutMs: 30_000,
};

/** A worker's options as a host passes them: numbers that make sense, nothing misspelt. */
const workerOptionsSchema = z.strictObject({
  ...claimLoopFields('events'),
  batchesInFlight: wholeNumberOption('a whole number of batches running at once', 1),
  concurrency: wholeNumberOption('a whole number of events of a batch run at once', 1),
  shutdownTimeoutMs: millisecondsOption('how long stop() waits'),
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
