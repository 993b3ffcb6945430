import { createPaymentModule, type PaymentModule } from './create-payment-module.js';
import type { PaymentModuleOptions } from './options.js';

export interface WorkerProcess {
  module: PaymentModule;
  stop(): Promise<void>;
}

/**
 * Runs the webhook worker as its own process (no HTTP): `node worker.js` with the same options as the
 * app. Any number of these can share one database; SIGTERM/SIGINT finish the current event and exit.
 */
export async function startWorker(options: PaymentModuleOptions & { handleSignals?: boolean }): Promise<WorkerProcess> {
  if (!options.workflow) throw new Error('startWorker needs `workflow` (e.g. processPaymentWorkflow) to process events.');
  const module = await createPaymentModule({ ...options, worker: options.worker === false ? {} : options.worker });
  const stop = () => module.close();
  if (options.handleSignals ?? true) {
    const onSignal = () => {
      void stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  module.logger.info({ worker: module.worker?.id }, 'webhook worker started');
  return { module, stop };
}
