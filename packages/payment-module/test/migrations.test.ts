import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';

let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule();
});
afterAll(async () => {
  await payments?.close();
});

describe('migrations', () => {
  it('produce exactly the schema the models describe', async () => {
    const diff = await payments.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('are idempotent', async () => {
    expect(await payments.migrate()).toEqual([]);
  });

  it('store amounts as NUMERIC, never floating point', async () => {
    const rows = await payments.orm.em
      .fork()
      .execute<{ table_name: string; column_name: string; data_type: string }[]>(
        `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' and column_name like '%amount%'`,
      );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(`${row.table_name}.${row.column_name}: ${row.data_type}`).toMatch(/: numeric$/);
  });
});
