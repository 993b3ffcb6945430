import { createLogger } from '../logger.js';
import { createPaymentModule, type PaymentModule } from '../module/create-payment-module.js';
import { attachInternals, internalsOf, type ModuleInternals } from '../module/internals.js';
import type { PaymentModuleOptions } from '../module/options.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export { internalsOf, type ModuleInternals };

/** A module with, for tests, its internals (`orm`, `registry`, `workflowDependencies`) as members. */
export interface TestPaymentModule extends PaymentModule, ModuleInternals {
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
  const internals = internalsOf(module);
  const test: TestPaymentModule = {
    ...module,
    ...internals,
    database,
    async close() {
      await module.close();
      await database.drop();
    },
  };
  return attachInternals(test, internals);
}
