import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '@tender/payment-module';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { migrationsList } from '../src/migrations/index.js';

const SCRUB = 'Migration20261210000000_scrub_webhook_credentials';
let database: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  database = await createTestDatabase();
  orm = await openDatabase({ url: database.url });
});
afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

async function seed(id: string, providerId: string, query: object, headers: object = {}) {
  await orm.em.fork().execute(
    `insert into webhook_event (id, provider_id, event_id, action, method, raw_body, headers, query)
     values (?, ?, ?, 'captured', 'GET', ''::bytea, ?::jsonb, ?::jsonb)`,
    [id, providerId, `evt_${id}`, JSON.stringify(headers), JSON.stringify(query)],
  );
}

async function stored(id: string): Promise<{ query: Record<string, unknown>; headers: Record<string, unknown> }> {
  const [row] = await orm.em
    .fork()
    .execute<{ query: any; headers: any }[]>('select query, headers from webhook_event where id = ?', [id]);
  return row!;
}

describe('the credential scrub migration', () => {
  it('removes the credentials stored before providers declared them, and nothing else', async () => {
    const index = migrationsList.findIndex((m) => m.name === SCRUB);
    expect(index).toBeGreaterThan(0);
    await orm.migrator.up({ to: migrationsList[index - 1]!.name });

    await seed('ifthen', 'pp_ifthenpay_mbway', { key: 'anti-phishing-key-1', orderId: 'payses_1', amount: '10.00' });
    await seed('legacy', 'pp_ifthenpay_mb', { chave: 'anti-phishing-key-2', referencia: '123' });
    await seed('easypay', 'pp_easypay_default', { secret: 'easypay-secret-3', id: 'x' }, { Authorization: 'Basic abc' });
    // `key` means nothing special to another provider: kept.
    await seed('stripe', 'pp_stripe_stripe', { key: 'not-a-credential' }, { 'stripe-signature': 't=1,v1=ab', cookie: 'c=1' });

    expect(await orm.migrator.up()).toEqual(expect.arrayContaining([expect.objectContaining({ name: SCRUB })]));

    expect(await stored('ifthen')).toMatchObject({ query: { orderId: 'payses_1', amount: '10.00' } });
    expect((await stored('ifthen')).query).not.toHaveProperty('key');
    expect((await stored('legacy')).query).toEqual({ referencia: '123' });
    expect(await stored('easypay')).toEqual({ query: { id: 'x' }, headers: {} });
    expect(await stored('stripe')).toEqual({ query: { key: 'not-a-credential' }, headers: { 'stripe-signature': 't=1,v1=ab' } });
    const dump = JSON.stringify(await orm.em.fork().execute('select query, headers from webhook_event'));
    for (const secret of ['anti-phishing-key-1', 'anti-phishing-key-2', 'easypay-secret-3', 'Basic abc']) {
      expect(dump).not.toContain(secret);
    }
  });
});
