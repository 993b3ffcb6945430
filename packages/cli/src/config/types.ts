import type { PaymentModuleOptions } from '@tender/payment-module';

/**
 * What `tender.config.ts` exports by default: the options of `createPaymentModule` plus where `tender dev`
 * listens. `workflow` defaults to `processPaymentWorkflow`.
 */
export interface TenderConfig extends PaymentModuleOptions {
  /** Port of `tender dev` (default 9000, or PORT). */
  port?: number;
  /** Interface `tender dev` binds to (default 127.0.0.1). */
  host?: string;
}

/** Types the config file without importing anything else: `export default defineConfig({ ... })`. */
export function defineConfig(config: TenderConfig): TenderConfig {
  return config;
}
