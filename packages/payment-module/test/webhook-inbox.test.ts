import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';

const secret = 'whsec_system_test_secret';
let payments: TestPaymentModule;

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }],
  });
});
afterAll(async () => {
  await payments?.close();
});

function deliver(
  webhook: { method: string; headers: Record<string, string>; rawBody: Buffer },
  provider = 'system_default',
  tenant?: string,
) {
  return payments.receiveWebhook({
    provider,
    tenant,
    method: webhook.method,
    headers: webhook.headers,
    query: {},
    rawBody: webhook.rawBody,
  });
}

async function inboxRows() {
  return payments.orm.em
    .fork()
    .execute<{ event_id: string; status: string; raw_body: Buffer }[]>('select event_id, status, raw_body from webhook_event');
}

describe('the webhook inbox', () => {
  it('stores a verified event with its exact bytes, and a redelivery is a duplicate', async () => {
    const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_x', amount: '10.00' });
    const first = await deliver(webhook);
    expect(first).toMatchObject({ outcome: 'accepted', event_id: webhook.id, action: 'authorized' });
    const second = await deliver(webhook);
    expect(second).toMatchObject({ outcome: 'duplicate', webhook_event_id: first.webhook_event_id });
    const rows = (await inboxRows()).filter((r) => r.event_id === webhook.id);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0]!.raw_body, webhook.rawBody)).toBe(0);
    const detail = await payments.webhooks.retrieve(first.webhook_event_id);
    expect(detail).toMatchObject({ status: 'pending', action: 'authorized', data: { session_id: 'payses_x', amount: '10' } });
  });

  it('records a not_supported event as ignored and acknowledges it', async () => {
    const webhook = createSystemWebhook({ secret, type: 'customer.created' });
    expect(await deliver(webhook)).toMatchObject({ outcome: 'ignored', action: 'not_supported' });
    expect((await inboxRows()).find((r) => r.event_id === webhook.id)?.status).toBe('ignored');
  });

  it('rejects a bad signature, a stale timestamp, an unknown provider and an unknown tenant, storing nothing', async () => {
    const before = (await inboxRows()).length;
    const forged = createSystemWebhook({ secret: 'not-the-secret!', type: 'payment.captured', session_id: 's', amount: '1' });
    await expect(deliver(forged)).rejects.toMatchObject({ type: 'unauthorized', message: 'Signature does not match the body.' });
    const stale = createSystemWebhook({
      secret,
      type: 'payment.captured',
      session_id: 's',
      amount: '1',
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    await expect(deliver(stale)).rejects.toMatchObject({ type: 'unauthorized' });
    const good = createSystemWebhook({ secret, type: 'payment.captured', session_id: 's', amount: '1' });
    await expect(deliver(good, 'nope_default')).rejects.toMatchObject({
      type: 'not_found',
      message: 'No payment provider at this webhook route.',
    });
    await expect(deliver(good, 'system_default', 'acme')).rejects.toMatchObject({
      type: 'unauthorized',
      message: 'The webhook could not be verified for this route.',
    });
    const tampered = { ...good, rawBody: Buffer.from(good.rawBody.toString().replace('"1"', '"100"')) };
    await expect(deliver(tampered)).rejects.toBeInstanceOf(TenderError);
    expect((await inboxRows()).length).toBe(before);
    expect(payments.metrics.snapshot().rejected).toBeGreaterThanOrEqual(5);
  });

  it('a body re-serialized by a framework no longer verifies', async () => {
    const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_y', amount: '1.50' });
    const pretty = Buffer.from(JSON.stringify(JSON.parse(webhook.rawBody.toString()), null, 2));
    await expect(deliver({ ...webhook, rawBody: pretty })).rejects.toMatchObject({ type: 'unauthorized' });
  });

  it('50 concurrent deliveries of one event store one row', async () => {
    const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_z', amount: '3' });
    const receipts = await Promise.all(Array.from({ length: 50 }, () => deliver(webhook)));
    expect(receipts.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(receipts.filter((r) => r.outcome === 'duplicate')).toHaveLength(49);
    expect((await inboxRows()).filter((r) => r.event_id === webhook.id)).toHaveLength(1);
  });

  it('stores an over-long provider event id by its digest, still deduplicating redeliveries', async () => {
    const id = `evt_${'x'.repeat(400)}`;
    const webhook = createSystemWebhook({ secret, type: 'payment.authorized', session_id: 'payses_long', amount: '1', id });
    const first = await deliver(webhook);
    expect(first.outcome).toBe('accepted');
    expect(first.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await deliver(webhook)).outcome).toBe('duplicate');
  });

  it('lists and filters events', async () => {
    const pending = await payments.webhooks.list({ status: 'pending', provider: 'system_default' });
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((e) => e.status === 'pending' && e.provider_id === 'pp_system_default')).toBe(true);
  });
});
