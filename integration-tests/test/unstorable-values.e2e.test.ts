import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;

beforeAll(async () => {
  // No workflow run needed: what matters is what the inbox stores and answers.
  app = await startTestApp({ module: { worker: false } });
});
afterAll(async () => {
  await app?.close();
});

const route = () => `${app.url}/hooks/payment/system_default`;
const webhook = (overrides: Partial<Parameters<typeof createSystemWebhook>[0]> = {}) =>
  createSystemWebhook({
    secret: SYSTEM_SECRET,
    type: 'payment.authorized',
    session_id: 'payses_n',
    amount: '5.00',
    ...overrides,
  });

async function storedEventIds(): Promise<string[]> {
  const rows = await app.payments.orm.em.fork().execute<{ event_id: string }[]>('select event_id from webhook_event');
  return rows.map((r) => r.event_id);
}

describe('values PostgreSQL cannot store', () => {
  it('a signed webhook with a NUL in its event id is a 400 for itself alone; 30 concurrent ones are stored', async () => {
    const good = Array.from({ length: 30 }, () => webhook());
    const bad = webhook({ id: 'evt_nul_\u0000_inside' });
    // The bad one in the middle of the burst, so it shares a batched insert with good ones.
    const deliveries = [...good.slice(0, 15), bad, ...good.slice(15)];
    const responses = await Promise.all(deliveries.map((d) => send(route(), d)));

    const badResponse = responses[15]!;
    expect(badResponse.status).toBe(400);
    expect(badResponse.body.error.message).toMatch(/event id contains a character that cannot be stored/);
    const goodStatuses = responses.filter((_, i) => i !== 15).map((r) => r.status);
    expect(goodStatuses).toEqual(Array(30).fill(200));
    const stored = await storedEventIds();
    expect(stored).toHaveLength(30);
    expect(new Set(stored)).toEqual(new Set(good.map((g) => g.id)));
  });

  it('a NUL in the event type or in the data is refused the same way, storing nothing', async () => {
    const before = (await storedEventIds()).length;
    for (const delivery of [webhook({ type: 'payment.\u0000authorized' }), webhook({ session_id: 'payses_\u0000' })]) {
      const response = await send(route(), delivery);
      expect(response.status).toBe(400);
      expect(response.body.error.type).toBe('invalid_data');
    }
    expect(await storedEventIds()).toHaveLength(before);
    // And the inbox still takes the next webhook.
    expect((await send(route(), webhook())).status).toBe(200);
  });
});
