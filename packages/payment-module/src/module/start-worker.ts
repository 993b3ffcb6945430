import { createPaymentModule, type PaymentModule } from './create-payment-module.js';
import type { PaymentModuleOptions } from './options.js';

export interface WorkerProcess {
  module: PaymentModule;
  stop(): Promise<void>;
}

/**
 * Runs the webhook worker as its own process (no HTTP): `node worker.js` with the same options as the
 * app. Any number of these can share one database. SIGTERM/SIGINT stop claiming, let the events and
 * deliveries in flight finish (bounded by the worker's and the outbox's shutdown timeouts), give back what
 * was claimed and not started, and exit 0; a second signal exits at once.
 */
export async function startWorker(options: PaymentModuleOptions & { handleSignals?: boolean }): Promise<WorkerProcess> {
  if (!options.workflow) throw new Error('startWorker needs `workflow` (e.g. processPaymentWorkflow) to process events.');
  const { handleSignals, ...moduleOptions } = options;
  const module = await createPaymentModule({ ...moduleOptions, worker: options.worker === false ? {} : options.worker });
  const stop = () => module.close();
  if (handleSignals ?? true) {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      module.logger.info({ worker: module.worker?.id, signal }, 'webhook worker stopping');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          module.logger.error({ err: error }, 'webhook worker did not stop cleanly');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  module.logger.info({ worker: module.worker?.id }, 'webhook worker started');
  return { module, stop };
}
