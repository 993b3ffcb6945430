import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPaymentModule, type PaymentModule, type WorkflowFactory } from '@tender/payment-module';
import { createTestDatabase, internalsOf, type TestDatabase } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { pino } from 'pino';

const ENV_SECRET = 'env-secret-for-default-tenant';
const SECRET_A = 'tenant-a-secret-0001';
const SECRET_B = 'tenant-b-secret-0002';
const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('hex');

let database: TestDatabase;
let payments: PaymentModule;
let logs = '';

/** Runs each stored event through a minimal processor that records which tenant it came from. */
const recordTenant: WorkflowFactory = () => ({
  async run({ input }) {
    return { outcome: 'processed', tenant: input.tenant };
  },
});

async function open(encryptionKey: string, previousEncryptionKeys: string[] = []): Promise<PaymentModule> {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  return createPaymentModule({
    databaseUrl: database.url,
    migrate: true,
    // The host passes the environment's secret as the module option: the fallback for `_` and unconfigured tenants.
    providers: [
      { resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [process.env.TEST_SYSTEM_WEBHOOK_SECRET!] } },
    ],
    workflow: recordTenant,
    worker: false,
    encryptionKey,
    previousEncryptionKeys,
    logger: pino({ level: 'debug' }, sink),
  });
}

beforeAll(async () => {
  process.env.TEST_SYSTEM_WEBHOOK_SECRET = ENV_SECRET;
  database = await createTestDatabase();
  payments = await open(KEY_1);
  await payments.tenants.setProviderConfig({
    tenant: 'tenant-a',
    provider_id: 'pp_system_default',
    secrets: { webhookSecrets: [SECRET_A] },
  });
  await payments.tenants.setProviderConfig({
    tenant: 'tenant-b',
    provider_id: 'pp_system_default',
    secrets: { webhookSecrets: [SECRET_B] },
  });
  await payments.tenants.createTenant('tenant-c'); // exists, but has no secret of its own
});
afterAll(async () => {
  await payments?.close();
  await database?.drop();
});

function deliver(secret: string, tenant: string | undefined, module = payments) {
  const w = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_t', amount: '1' });
  return module.receiveWebhook({
    provider: 'system_default',
    tenant,
    method: 'POST',
    headers: w.headers,
    query: {},
    rawBody: w.rawBody,
  });
}

describe('per-tenant secrets', () => {
  it("tenant A's secret cannot verify tenant B's webhook", async () => {
    await expect(deliver(SECRET_A, 'tenant-a')).resolves.toMatchObject({ outcome: 'accepted' });
    await expect(deliver(SECRET_A, 'tenant-b')).rejects.toMatchObject({ type: 'unauthorized' });
    await expect(deliver(SECRET_B, 'tenant-b')).resolves.toMatchObject({ outcome: 'accepted' });
  });

  it('`_` uses the environment secret', async () => {
    await expect(deliver(ENV_SECRET, '_')).resolves.toMatchObject({ outcome: 'accepted' });
    await expect(deliver(ENV_SECRET, undefined)).resolves.toMatchObject({ outcome: 'accepted' });
    await expect(deliver(SECRET_A, '_')).rejects.toMatchObject({ type: 'unauthorized' });
  });

  it('a tenant with a stored secret ignores the environment one; one without falls back to it', async () => {
    await expect(deliver(ENV_SECRET, 'tenant-a')).rejects.toMatchObject({ type: 'unauthorized' });
    await expect(deliver(ENV_SECRET, 'tenant-c')).resolves.toMatchObject({ outcome: 'accepted' });
  });

  it('an unknown tenant is refused before the payload is read, exactly like a bad signature', async () => {
    const refusal = { type: 'unauthorized', message: 'The webhook could not be verified for this route.' };
    await expect(deliver(ENV_SECRET, 'nobody')).rejects.toMatchObject(refusal);
    await expect(deliver('a-wrong-secret-000', 'tenant-a')).rejects.toMatchObject(refusal);
    expect(logs).toContain('Unknown tenant \\"nobody\\"');
  });

  it('a payment collection for an unknown tenant is refused with what to do, and nothing is written', async () => {
    const before = await payments.service.listPaymentCollections({ tenant: 'tenant-nobody' });
    await expect(
      payments.service.createPaymentCollections({ currency_code: 'eur', amount: '5.00', tenant: 'tenant-nobody' }),
    ).rejects.toMatchObject({ type: 'not_found', message: expect.stringContaining('create it first') });
    expect(await payments.service.listPaymentCollections({ tenant: 'tenant-nobody' })).toEqual(before);
    await payments.tenants.createTenant('tenant-nobody');
    const created = await payments.service.createPaymentCollections({
      currency_code: 'eur',
      amount: '5.00',
      tenant: 'tenant-nobody',
    });
    expect(created.tenant).toBe('tenant-nobody');
  });

  it('every inbox row carries the tenant of its URL', async () => {
    const rows = await payments.webhooks.list({});
    expect(new Set(rows.map((r) => r.tenant))).toEqual(new Set(['tenant-a', 'tenant-b', 'default', 'tenant-c']));
  });

  it('webhook secret rotation: both secrets verify during the window, then only the new one', async () => {
    const NEW_A = 'tenant-a-secret-0003';
    await payments.tenants.setProviderConfig({
      tenant: 'tenant-a',
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: [SECRET_A, NEW_A] },
    });
    await expect(deliver(SECRET_A, 'tenant-a')).resolves.toMatchObject({ outcome: 'accepted' });
    await expect(deliver(NEW_A, 'tenant-a')).resolves.toMatchObject({ outcome: 'accepted' });
    await payments.tenants.setProviderConfig({
      tenant: 'tenant-a',
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: [NEW_A] },
    });
    await expect(deliver(SECRET_A, 'tenant-a')).rejects.toMatchObject({ type: 'unauthorized' });
    await expect(deliver(NEW_A, 'tenant-a')).resolves.toMatchObject({ outcome: 'accepted' });
    await payments.tenants.setProviderConfig({
      tenant: 'tenant-a',
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: [SECRET_A] },
    });
  });

  it('refuses a config the provider would reject, naming the option', async () => {
    await expect(
      payments.tenants.setProviderConfig({
        tenant: 'tenant-a',
        provider_id: 'pp_system_default',
        secrets: { webhookSecrets: ['short'] },
      }),
    ).rejects.toThrow(/Invalid options for payment provider "system": webhookSecrets\.0/);
  });
});

describe('secrets at rest', () => {
  it('are encrypted in the database, absent from list output and from logs', async () => {
    const [row] = await internalsOf(payments)
      .orm.em.fork()
      .execute<{ secrets_ciphertext: string; key_id: string }[]>(
        `select secrets_ciphertext, key_id from provider_config where tenant_id = 'tenant-b'`,
      );
    expect(row!.secrets_ciphertext).not.toContain(SECRET_B);
    expect(row!.secrets_ciphertext.startsWith(`v2.${row!.key_id}.`)).toBe(true);
    const listed = JSON.stringify(await payments.tenants.listProviderConfigs());
    expect(listed).toContain('"secret_names":["webhookSecrets"]');
    for (const secret of [SECRET_A, SECRET_B, ENV_SECRET]) {
      expect(listed).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs).toContain('webhook rejected'); // the log did see the failures above
  });

  it('encryption-key rotation: old rows stay readable during it, then are re-encrypted under the new key', async () => {
    const keyOf = async () =>
      (
        await internalsOf(payments)
          .orm.em.fork()
          .execute<{ key_id: string }[]>(`select distinct key_id from provider_config where key_id is not null`)
      ).map((r) => r.key_id);
    const [oldKeyId] = await keyOf();

    // New key current, old key still listed as previous: rows sealed with the old key still verify webhooks.
    const rotating = await open(KEY_2, [KEY_1]);
    try {
      await expect(deliver(SECRET_B, 'tenant-b', rotating)).resolves.toMatchObject({ outcome: 'accepted' });
      const { rotated, key_id } = await rotating.tenants.rotateEncryptionKey();
      expect(rotated).toBe(2);
      expect(key_id).not.toBe(oldKeyId);
      expect(await keyOf()).toEqual([key_id]);
      expect((await rotating.tenants.rotateEncryptionKey()).rotated).toBe(0);
    } finally {
      await rotating.close();
    }

    // After rotation the old key is no longer needed.
    const rotated = await open(KEY_2);
    try {
      await expect(deliver(SECRET_B, 'tenant-b', rotated)).resolves.toMatchObject({ outcome: 'accepted' });
    } finally {
      await rotated.close();
    }

    // And a process that only has the old key cannot read the new rows: a 503 that names no key (the
    // caller is unauthenticated), and the reason in the log, not a silent fallback.
    const stale = await open(KEY_1);
    try {
      const failure = await deliver(SECRET_B, 'tenant-b', stale).catch((error: unknown) => error);
      expect(failure).toMatchObject({ type: 'unavailable', message: expect.not.stringMatching(/key|[0-9a-f]{16}/i) });
      expect(logs).toMatch(/encrypted with key [0-9a-f]{16}, which is neither TENDER_ENCRYPTION_KEY/);
    } finally {
      await stale.close();
    }
  });
});
