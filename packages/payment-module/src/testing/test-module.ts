import { createLogger } from '../logger.js';
import { createPaymentModule, type PaymentModule } from '../module/create-payment-module.js';
import type { PaymentModuleOptions } from '../module/options.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestPaymentModule extends PaymentModule {
  database: TestDatabase;
}

/** A migrated module on a database of its own; `close()` also drops the database. */
export async function createTestPaymentModule(
  options: Omit<PaymentModuleOptions, 'databaseUrl'> = {},
): Promise<TestPaymentModule> {
  const database = await createTestDatabase();
  const module = await createPaymentModule({
    logger: createLogger({ level: process.env.TENDER_LOG_LEVEL ?? 'silent' }),
    ...options,
    databaseUrl: database.url,
    migrate: true,
  });
  return {
    ...module,
    database,
    async close() {
      await module.close();
      await database.drop();
    },
  };
}
