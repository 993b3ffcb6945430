import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection } from '@tender/core/testing';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { createSystemWebhook } from '@tender/provider-system/testing';

const secret = 'whsec_process_event_secret';
const providers = [{ resolve: SystemPaymentProvider, id: 'default', options: { webhookSecrets: [secret] } }];

let queued: TestPaymentModule; // no worker of its own: processEvent applies the event itself
let running: TestPaymentModule; // the in-process worker applies it
let bare: TestPaymentModule; // no workflow at all

beforeAll(async () => {
  [queued, running, bare] = await Promise.all([
    createTestPaymentModule({ providers, workflow: processPaymentWorkflow, worker: false }),
    createTestPaymentModule({ providers, workflow: processPaymentWorkflow }),
    createTestPaymentModule({ providers }),
  ]);
});
afterAll(async () => {
  await Promise.all([queued?.close(), running?.close(), bare?.close()]);
});

async function pendingSession(module: TestPaymentModule, amount = '25') {
  const collection = await module.service.createPaymentCollections({ currency_code: 'usd', amount });
  const session = await module.service.createPaymentSession(collection.id, {
    provider_id: 'pp_system_default',
    amount,
    currency_code: 'usd',
  });
  return { collection, session };
}

function payload(webhook: ReturnType<typeof createSystemWebhook>) {
  return { data: JSON.parse(webhook.rawBody.toString()), rawData: webhook.rawBody, headers: webhook.headers };
}

async function inboxRows(module: TestPaymentModule): Promise<number> {
  const [row] = await module.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from webhook_event');
  return Number(row!.n);
}

describe('processEvent({ provider, payload })', () => {
  for (const [name, module] of [
    ['with no worker of the module’s own', () => queued],
    ['with the in-process worker running', () => running],
  ] as const) {
    it(`verifies, stores and applies the event, and resolves with what changed (${name})`, async () => {
      const payments = module();
      const { collection, session } = await pendingSession(payments);
      const webhook = createSystemWebhook({
        secret,
        type: 'payment.captured',
        session_id: session.id,
        amount: '25',
        currency_code: 'usd',
      });
      const result = await payments.service.processEvent({ provider: 'pp_system_default', payload: payload(webhook) });
      expect(result).toMatchObject({
        outcome: 'accepted',
        event_id: webhook.id,
        action: 'captured',
        status: 'processed',
        result: { outcome: 'processed', session_id: session.id, payment_collection_id: collection.id },
      });
      const [payment] = await payments.service.listPayments({ payment_session_id: session.id });
      expect(result.result?.payment_id).toBe(payment!.id);
      expect(await payments.service.retrievePaymentCollection(collection.id)).toMatchObject({
        status: 'completed',
        captured_amount: '25',
      });
      // The route's inbox row, with the exact bytes.
      expect((await payments.webhooks.retrieve(result.webhook_event_id)).raw_body.equals(webhook.rawBody)).toBe(true);

      const again = await payments.service.processEvent({ provider: 'system_default', payload: payload(webhook) });
      expect(again).toMatchObject({ outcome: 'duplicate', webhook_event_id: result.webhook_event_id, status: 'processed' });
      expect(await payments.service.listPayments({ payment_session_id: session.id })).toHaveLength(1);
    });
  }

  it('an event Tender does not act on is stored as ignored', async () => {
    const webhook = createSystemWebhook({ secret, type: 'customer.created', session_id: 'payses_x', amount: '1' });
    const result = await queued.service.processEvent({ provider: 'pp_system_default', payload: payload(webhook) });
    expect(result).toMatchObject({ outcome: 'ignored', status: 'ignored', action: 'not_supported' });
  });

  it('refuses what the route refuses, storing nothing', async () => {
    const { session } = await pendingSession(queued);
    const before = await inboxRows(queued);
    const forged = createSystemWebhook({
      secret: 'whsec_not_the_right_secret',
      type: 'payment.captured',
      session_id: session.id,
      amount: '25',
    });
    expect((await rejection(queued.service.processEvent({ provider: 'pp_system_default', payload: payload(forged) }))).type).toBe(
      'unauthorized',
    );
    const good = createSystemWebhook({ secret, type: 'payment.captured', session_id: session.id, amount: '25' });
    expect((await rejection(queued.service.processEvent({ provider: 'pp_nope_default', payload: payload(good) }))).type).toBe(
      'not_found',
    );
    const notBytes = { ...payload(good), rawData: good.rawBody.toString() as never };
    expect((await rejection(queued.service.processEvent({ provider: 'pp_system_default', payload: notBytes }))).type).toBe(
      'invalid_data',
    );
    expect(await inboxRows(queued)).toBe(before);
    expect(await queued.service.listPayments({ payment_session_id: session.id })).toEqual([]);
  });

  it('needs a workflow to apply anything, and then stores nothing', async () => {
    const webhook = createSystemWebhook({ secret, type: 'payment.captured', session_id: 'payses_x', amount: '1' });
    const error = await rejection(bare.service.processEvent({ provider: 'pp_system_default', payload: payload(webhook) }));
    expect(error.type).toBe('not_allowed');
    expect(error.message).toMatch(/needs a workflow/);
    expect(await inboxRows(bare)).toBe(0);
  });
});
