import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSystemWebhook } from '@tender/provider-system/testing';
import { eventually, SYSTEM_SECRET, send, startTestApp, type TestApp } from '../support/app.js';
import { ADAPTERS } from '../support/servers.js';

describe.each(ADAPTERS)('the %s adapter, end to end', (adapter) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ adapter });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('verifies a signed webhook, stores it, processes it and completes the cart once', async () => {
    const { sessionId, cartId, collectionId } = await app.checkout('19.99');
    const webhook = createSystemWebhook({
      secret: SYSTEM_SECRET,
      type: 'payment.captured',
      session_id: sessionId,
      amount: '19.99',
      currency_code: 'usd',
    });
    const response = await send(`${app.url}/hooks/payment/system_default`, webhook);
    expect(response).toEqual({ status: 200, body: { received: true, outcome: 'accepted', event_id: webhook.id } });
    await eventually(async () => expect((await app.carts.retrieveCart(cartId))?.order_id).toBeTruthy());
    const collection = await app.payments.service.retrievePaymentCollection(collectionId);
    expect(collection).toMatchObject({ status: 'completed', captured_amount: '19.99' });

    const again = await send(`${app.url}/hooks/payment/system_default`, webhook);
    expect(again).toEqual({ status: 200, body: { received: true, outcome: 'duplicate', event_id: webhook.id } });
    expect(await app.carts.countOrders(cartId)).toBe(1);
  });
});
