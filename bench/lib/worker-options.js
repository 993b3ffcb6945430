// The worker options the benchmark's app and worker processes share: the fallback poll, and (to compare
// settings) BENCH_WORKER_CONCURRENCY / BENCH_WORKER_BATCH / BENCH_WORKER_BATCHES, which default to the module's own
// defaults.
const env = process.env;
const number = (value) => (value ? Number(value) : undefined);

export const workerOptions = Object.fromEntries(
  Object.entries({
    pollIntervalMs: Number(env.BENCH_POLL_MS ?? 50),
    concurrency: number(env.BENCH_WORKER_CONCURRENCY),
    batchSize: number(env.BENCH_WORKER_BATCH),
    batchesInFlight: number(env.BENCH_WORKER_BATCHES),
  }).filter(([, value]) => value !== undefined),
);
