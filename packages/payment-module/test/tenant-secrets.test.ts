import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPaymentModule, Keyring, parseKey } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';

const HINT = /openssl rand -base64 32/;
const providers = [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: ['module-secret-0001'] } }];

describe('weak encryption keys', () => {
  it.each([
    ['32 zero bytes (base64)', Buffer.alloc(32).toString('base64'), /not a random key/],
    ['32 zero bytes (hex)', '0'.repeat(64), /not a random key/],
    ['one byte repeated', 'a'.repeat(64), /not a random key/],
    ['two byte values alternating', 'ab01'.repeat(16), /not a random key/],
    ['16 bytes', randomBytes(16).toString('base64'), /must be a 32-byte key/],
    ['not base64 at all', `${randomBytes(32).toString('base64').slice(0, 40)}!!!!`, /must be a 32-byte key/],
  ])('%s is refused, saying how to make a key', (_name, material, reason) => {
    expect(() => parseKey(material, 'TENDER_ENCRYPTION_KEY')).toThrow(reason);
    expect(() => parseKey(material, 'TENDER_ENCRYPTION_KEY')).toThrow(HINT);
    expect(() => Keyring.fromEnvironment({ TENDER_ENCRYPTION_KEY: material })).toThrow(/^TENDER_ENCRYPTION_KEY /);
    expect(() => Keyring.fromEnvironment({ TENDER_PREVIOUS_ENCRYPTION_KEYS: material })).toThrow(HINT);
  });

  it('a random key is accepted, as base64 or hex', () => {
    expect(parseKey(randomBytes(32).toString('base64'), 'k').key).toHaveLength(32);
    expect(parseKey(randomBytes(32).toString('hex'), 'k').key).toHaveLength(32);
  });

  it('the module refuses to start with one, before it opens the database', async () => {
    // An unreachable database: the key must be refused before any connection is tried.
    await expect(
      createPaymentModule({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none', encryptionKey: '0'.repeat(64), providers }),
    ).rejects.toThrow(/encryptionKey: is not a random key .*openssl rand -base64 32/);
  });
});

describe('secret-looking plain options', () => {
  let payments: TestPaymentModule;
  beforeAll(async () => {
    payments = await createTestPaymentModule({ providers, encryptionKey: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await payments?.close();
  });

  it.each(['webhookSecrets', 'apiKey', 'token', 'password', 'antiPhishingKey'])(
    '%s given as a plain option is refused and nothing is stored',
    async (name) => {
      await expect(
        payments.tenants.setProviderConfig({
          tenant: 'acme',
          provider_id: 'pp_system_default',
          options: { [name]: ['tenant-secret-00001'] },
        }),
      ).rejects.toMatchObject({ type: 'invalid_data', message: expect.stringContaining('pass them in `secrets`') });
      expect(await payments.tenants.listProviderConfigs()).toEqual([]);
      expect(await payments.tenants.listTenants()).toEqual([]);
    },
  );

  it('the same value as a secret is stored, encrypted', async () => {
    await payments.tenants.setProviderConfig({
      tenant: 'acme',
      provider_id: 'pp_system_default',
      secrets: { webhookSecrets: ['tenant-secret-00001'] },
    });
    expect(await payments.tenants.listProviderConfigs()).toEqual([
      expect.objectContaining({ tenant: 'acme', secret_names: ['webhookSecrets'], options: {} }),
    ]);
  });
});
