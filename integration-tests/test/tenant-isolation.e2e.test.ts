import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, send, startTestApp, type TestApp } from '../support/app.js';

const SECRET_A = 'tenant-a-system-secret';
const SECRET_B = 'tenant-b-system-secret';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ module: { encryptionKey: randomBytes(32).toString('base64') } });
  for (const [tenant, secret] of [
    ['tenant-a', SECRET_A],
    ['tenant-b', SECRET_B],
  ] as const) {
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

describe('tenant isolation', () => {
  it("a tenant's verified webhook naming another tenant's session changes nothing there", async () => {
    const collection = await app.payments.service.createPaymentCollections({
      currency_code: 'eur',
      amount: '9.00',
      tenant: 'tenant-b',
    });
    const session = await app.payments.service.createPaymentSession(collection.id, {
      provider_id: 'pp_system_default',
      amount: '9.00',
      currency_code: 'eur',
    });
    expect(session.tenant).toBe('tenant-b');

    // Tenant A signs correctly with its own secret but names tenant B's session in the payload.
    const hostile = createSystemWebhook({ secret: SECRET_A, type: 'payment.captured', session_id: session.id, amount: '9.00' });
    const response = await send(`${app.url}/hooks/payment/system_default/tenant-a`, hostile);
    expect(response.status).toBe(200);
    const stored = await eventually(async () => {
      const [row] = (await app.payments.webhooks.list({ tenant: 'tenant-a' })).filter((e) => e.event_id === hostile.id);
      expect(row?.status).toBe('ignored');
      return row!;
    });
    expect(stored.result).toMatchObject({ reason: `payment session ${session.id} belongs to another tenant` });
    expect((await app.payments.service.retrievePaymentCollection(collection.id)).status).toBe('awaiting');
    expect(await app.payments.service.listPayments({ payment_session_id: session.id })).toHaveLength(0);

    // The same event through tenant B's own route, signed by B, is applied.
    const own = createSystemWebhook({ secret: SECRET_B, type: 'payment.captured', session_id: session.id, amount: '9.00' });
    expect((await send(`${app.url}/hooks/payment/system_default/tenant-b`, own)).status).toBe(200);
    await eventually(async () =>
      expect((await app.payments.service.retrievePaymentCollection(collection.id)).status).toBe('completed'),
    );
    const [payment] = await app.payments.service.listPayments({ payment_session_id: session.id });
    expect(payment!.tenant).toBe('tenant-b');
  });
});
