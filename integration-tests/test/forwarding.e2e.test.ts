import { createServer, type RequestListener } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTimestamped } from '@tender/core';
import { createForwardedWebhookListener, createForwardingReceiver, createNodeListener } from '@tender/http';
import { SYSTEM_SECRET, send, startTestApp, type TestApp, tableCounts } from '../support/app.js';
import type { RunningServer } from '../support/servers.js';

const FORWARD_SECRET = 'edge-to-central-shared-secret';
const TENANT_SECRET = 'tenant-acme-system-secret';
let central: TestApp;
let centralServer: RunningServer;
let edge: RunningServer;

async function listen(listener: RequestListener): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  central = await startTestApp({ module: { encryptionKey: '1b16578145527008e3fa55c7b0c532f4ee46469d7755543b54995fea5d9def6f' } });
  await central.payments.tenants.setProviderConfig({
    tenant: 'acme',
    provider_id: 'pp_system_default',
    secrets: { webhookSecrets: [TENANT_SECRET] },
  });
  centralServer = await listen(createForwardedWebhookListener(central.payments, { secret: FORWARD_SECRET }));
  edge = await listen(
    createNodeListener(createForwardingReceiver({ target: `${centralServer.url}/v1/webhooks/payments`, secret: FORWARD_SECRET })),
  );
});
afterAll(async () => {
  await edge?.close();
  await centralServer?.close();
  await central?.close();
});

function signed(secret: string, sessionId: string, eventId: string) {
  // Odd spacing and non-ASCII: any re-encoding on the way would break the signature.
  const rawBody = Buffer.from(
    `{ "id":"${eventId}",\n\t"type" : "payment.captured", "note":"façade ✓", "data":{"session_id":"${sessionId}","amount":"7.00"} }`,
  );
  return { rawBody, headers: { 'content-type': 'application/json', 'x-tender-signature': signTimestamped(secret, rawBody) } };
}

describe('forwarding from a checkout edge to the central API', () => {
  it('passes the exact bytes and provider headers through, so the signature verifies at the central API', async () => {
    const { collectionId, sessionId } = await central.checkout('7.00');
    const delivery = signed(SYSTEM_SECRET, sessionId, 'evt_fwd_1');
    const response = await send(`${edge.url}/hooks/payment/system_default`, delivery);
    expect(response).toEqual({ status: 200, body: { received: true, outcome: 'accepted', event_id: 'evt_fwd_1' } });
    const [row] = (await central.payments.webhooks.list({})).filter((e) => e.event_id === 'evt_fwd_1');
    const stored = await central.payments.webhooks.retrieve(row!.id);
    expect(Buffer.compare(stored.raw_body, delivery.rawBody)).toBe(0);
    expect(stored.headers['x-tender-signature']).toBe(delivery.headers['x-tender-signature']);
    expect(stored.headers['x-forward-secret']).toBeUndefined();
    await central.payments.worker!.whenIdle();
    expect((await central.payments.service.retrievePaymentCollection(collectionId)).status).toBe('completed');
  });

  it("carries the tenant from the edge's URL and verifies with that tenant's secret", async () => {
    const response = await send(
      `${edge.url}/hooks/payment/system_default/acme`,
      signed(TENANT_SECRET, 'payses_none', 'evt_fwd_2'),
    );
    expect(response.status).toBe(200);
    const [row] = (await central.payments.webhooks.list({})).filter((e) => e.event_id === 'evt_fwd_2');
    expect(row!.tenant).toBe('acme');
    const wrongTenant = await send(
      `${edge.url}/hooks/payment/system_default/acme`,
      signed(SYSTEM_SECRET, 'payses_none', 'evt_fwd_3'),
    );
    expect(wrongTenant.status).toBe(401);
  });

  it('the central endpoint refuses requests without the shared secret and stores nothing', async () => {
    const before = await tableCounts(central.payments);
    const direct = await send(
      `${centralServer.url}/v1/webhooks/payments/system_default`,
      signed(SYSTEM_SECRET, 'payses_none', 'evt_fwd_4'),
    );
    expect(direct.status).toBe(401);
    const forged = await send(`${centralServer.url}/v1/webhooks/payments/system_default`, {
      ...signed(SYSTEM_SECRET, 'payses_none', 'evt_fwd_5'),
      headers: { ...signed(SYSTEM_SECRET, 'x', 'y').headers, 'x-forward-secret': 'guess-guess-guess-guess' },
    });
    expect(forged.status).toBe(401);
    expect(await tableCounts(central.payments)).toEqual(before);
  });

  it('an edge whose central API is down answers 503 so the provider retries', async () => {
    const lonely = await listen(
      createNodeListener(createForwardingReceiver({ target: 'http://127.0.0.1:9/v1/webhooks/payments', secret: FORWARD_SECRET })),
    );
    try {
      expect((await send(`${lonely.url}/hooks/payment/system_default`, signed(SYSTEM_SECRET, 's', 'evt_fwd_6'))).status).toBe(
        503,
      );
    } finally {
      await lonely.close();
    }
  });
});
