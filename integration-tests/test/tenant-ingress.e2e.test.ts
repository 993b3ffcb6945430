import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Keyring, parseKey } from '@tender/payment-module';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { pino } from 'pino';
import { SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

const KEY = randomBytes(32).toString('base64');
const SECRETS = { 'tenant-a': 'tenant-a-secret-0001', 'tenant-b': 'tenant-b-secret-0002', 'tenant-c': 'tenant-c-secret-0003' };
let app: TestApp;
let logs = '';

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  app = await startTestApp({ module: { encryptionKey: KEY, worker: false, logger: pino({ level: 'debug' }, sink) } });
  for (const [tenant, secret] of Object.entries(SECRETS)) {
    await app.payments.tenants.setProviderConfig({
      tenant,
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: [secret] },
    });
  }
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  // Rows are changed behind the store's back below: read them afresh.
  app.payments.tenants.cache.clear();
});

const route = (tenant: string) => `${app.url}/hooks/payment/system_default/${tenant}`;
const signed = (secret: string) =>
  createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_t', amount: '1.00' });

async function ciphertextOf(tenant: string): Promise<string> {
  const [row] = await app.payments.orm.em
    .fork()
    .execute<{ secrets_ciphertext: string }[]>('select secrets_ciphertext from provider_config where tenant_id = ?', [tenant]);
  return row!.secrets_ciphertext;
}

async function setCiphertext(tenant: string, ciphertext: string): Promise<void> {
  await app.payments.orm.em
    .fork()
    .execute('update provider_config set secrets_ciphertext = ? where tenant_id = ?', [ciphertext, tenant]);
}

/** What this module sealed tenant secrets as before they were bound to their row: the key id as the only associated data. */
function legacySeal(plaintext: string, material: string): string {
  const key = parseKey(material, 'key').key;
  const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

describe('unknown tenants', () => {
  it('answer exactly like a bad signature on a known tenant, so tenants cannot be enumerated', async () => {
    const unknown = await send(route('no-such-tenant'), signed(SECRETS['tenant-a']));
    const badSignature = await send(route('tenant-a'), signed('not-the-tenant-secret'));
    const otherTenantsSecret = await send(route('tenant-a'), signed(SECRETS['tenant-b']));
    expect(unknown.status).toBe(401);
    for (const response of [badSignature, otherTenantsSecret]) {
      expect(response.status).toBe(unknown.status);
      expect(response.body).toEqual(unknown.body);
    }
    expect(JSON.stringify(unknown.body)).not.toContain('no-such-tenant');
    // The operator still sees why.
    expect(logs).toContain('Unknown tenant \\"no-such-tenant\\"');
    expect(logs).toContain('Signature does not match');
  });

  it('2,500 requests for distinct unknown tenants: at most one query each, and no cache growth', async () => {
    const connection = app.payments.orm.em.getConnection() as unknown as { logQuery(query: string, context?: unknown): void };
    const logQuery = connection.logQuery.bind(connection);
    let queries = 0;
    connection.logQuery = (query, context) => {
      // Only the reads of the tenant table: the relay's and inbox's own polls run meanwhile.
      if (/from\s+"?tenant"?\s/i.test(query)) queries++;
      logQuery(query, context);
    };
    const cacheBefore = app.payments.tenants.cache.size;
    const count = 2_500;
    let refused = 0;
    try {
      for (let batch = 0; batch < count / 50; batch++) {
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => send(route(`ghost-${batch}-${i}`), signed(SYSTEM_SECRET))),
        );
        refused += responses.filter((r) => r.status === 401).length;
      }
    } finally {
      connection.logQuery = logQuery;
    }
    expect(app.payments.tenants.cache.size).toBe(cacheBefore);
    expect(app.payments.tenants.cache.size).toBeLessThanOrEqual(app.payments.tenants.cache.maxEntries);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(count);
    expect(refused).toBe(count);
  });
});

describe('an unknown provider route', () => {
  it('is a 404 that names none of the configured providers', async () => {
    const response = await send(`${app.url}/hooks/payment/paypal_default`, signed(SYSTEM_SECRET));
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toMatch(/system|pp_/);
  });
});

describe('tenant secrets that cannot be used', () => {
  it("a tenant's ciphertext copied onto another tenant's row does not decrypt there: a generic 503", async () => {
    const original = await ciphertextOf('tenant-b');
    await setCiphertext('tenant-b', await ciphertextOf('tenant-a'));
    try {
      const response = await send(route('tenant-b'), signed(SECRETS['tenant-a']));
      expect(response.status).toBe(503);
      expect(response.body.error.message).toBe("This tenant's provider configuration cannot be used right now; retry later.");
      expect(logs).toMatch(/failed authentication under key [0-9a-f]{16}/);
      expect(await app.payments.webhooks.list({ tenant: 'tenant-b' })).toEqual([]);
    } finally {
      await setCiphertext('tenant-b', original);
    }
  });

  it('a secret sealed with a key this process does not have: a 503 naming no key id', async () => {
    const original = await ciphertextOf('tenant-b');
    const foreign = new Keyring(parseKey(randomBytes(32).toString('hex'), 'foreign'));
    const sealed = foreign.encrypt(JSON.stringify({ webhookSecrets: [SECRETS['tenant-b']] }), {
      tenant: 'tenant-b',
      providerId: 'pp_system_default',
    });
    await setCiphertext('tenant-b', sealed.ciphertext);
    try {
      const response = await send(route('tenant-b'), signed(SECRETS['tenant-b']));
      expect(response.status).toBe(503);
      expect(JSON.stringify(response.body)).not.toContain(sealed.keyId);
      expect(JSON.stringify(response.body)).not.toMatch(/key/i);
      expect(logs).toContain(`encrypted with key ${sealed.keyId}`);
    } finally {
      await setCiphertext('tenant-b', original);
    }
  });

  it('stored options the provider refuses: a generic 503 naming no option, the reason in the log', async () => {
    await app.payments.orm.em
      .fork()
      .execute(`update provider_config set options = '{"webhookSecrets": ["short"]}' where tenant_id = 'tenant-b'`);
    await setCiphertext('tenant-b', null as unknown as string);
    const response = await send(route('tenant-b'), signed(SECRETS['tenant-b']));
    expect(response.status).toBe(503);
    expect(JSON.stringify(response.body)).not.toMatch(/webhookSecrets|short|system/);
    expect(logs).toMatch(/Invalid options for payment provider \\"system\\": webhookSecrets\.0/);
    // Fixed by the operator: the tenant's webhooks verify again.
    await app.payments.tenants.setProviderConfig({
      tenant: 'tenant-b',
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: [SECRETS['tenant-b']] },
    });
    app.payments.tenants.cache.clear();
    expect((await send(route('tenant-b'), signed(SECRETS['tenant-b']))).status).toBe(200);
  });

  it('a secret sealed in the old format (key id only) still verifies, and is re-sealed bound to its row', async () => {
    await setCiphertext('tenant-c', legacySeal(JSON.stringify({ webhookSecrets: [SECRETS['tenant-c']] }), KEY));
    expect((await send(route('tenant-c'), signed(SECRETS['tenant-c']))).status).toBe(200);
    const upgraded = await ciphertextOf('tenant-c');
    expect(upgraded.startsWith('v2.')).toBe(true);
    app.payments.tenants.cache.clear();
    expect((await send(route('tenant-c'), signed(SECRETS['tenant-c']))).status).toBe(200);
    // Bound now: the upgraded ciphertext is worthless on another tenant's row.
    const original = await ciphertextOf('tenant-a');
    await setCiphertext('tenant-a', upgraded);
    try {
      app.payments.tenants.cache.clear();
      expect((await send(route('tenant-a'), signed(SECRETS['tenant-c']))).status).toBe(503);
    } finally {
      await setCiphertext('tenant-a', original);
    }
  });
});
