import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EasypayEmulator } from '@tender/provider-easypay/testing';
import { startEasypayEmulator } from './support.js';

let emu: EasypayEmulator;
beforeAll(async () => {
  emu = await startEasypayEmulator();
});
afterAll(async () => {
  await emu.close();
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${emu.baseUrl}${path}`, {
    method: 'POST',
    headers: { AccountId: emu.accountId, ApiKey: emu.apiKey, 'Content-Type': 'application/json', ...headers },
    body,
  });
}

const single = (key: string) => JSON.stringify({ key, type: 'sale', method: 'mb', value: 5, currency: 'EUR' });

describe('Easypay emulator', () => {
  it('listens on 127.0.0.1 under /2.0', () => {
    expect(emu.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2\.0$/);
  });

  it('answers 403 without the account credentials', async () => {
    const response = await fetch(`${emu.baseUrl}/single/x`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ status: 'error', message: ['Authentication Error: Invalid AccountId or ApiKey'] });
  });

  it('replays a request with the same Idempotency-Key and refuses the key for a different body', async () => {
    const first = await post('/single', single('emu-a'), { 'Idempotency-Key': 'emu-key-1' });
    const replay = await post('/single', single('emu-a'), { 'Idempotency-Key': 'emu-key-1' });
    expect(first.status).toBe(201);
    expect(replay.headers.get('idempotency-replay')).toBe('1');
    expect(((await replay.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect((await post('/single', single('emu-b'), { 'Idempotency-Key': 'emu-key-1' })).status).toBe(409);
  });

  it('does not store a 400 under the key, so a corrected retry goes through', async () => {
    const bad = await post('/single', JSON.stringify({ key: 'k', type: 'sale', method: 'mb', value: 5.123 }), {
      'Idempotency-Key': 'emu-key-2',
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await post('/single', JSON.stringify({ key: 'k', type: 'sale', method: 'mb', value: 5.12 }), {
          'Idempotency-Key': 'emu-key-2',
        })
      ).status,
    ).toBe(201);
  });

  it('writes money as exact JSON numbers', async () => {
    const created = (await (
      await post('/single', JSON.stringify({ key: 'k2', type: 'sale', method: 'mb', value: 10.5 }))
    ).json()) as {
      id: string;
    };
    const text = await (
      await fetch(`${emu.baseUrl}/single/${created.id}`, { headers: { AccountId: emu.accountId, ApiKey: emu.apiKey } })
    ).text();
    expect(text).toContain('"value":10.5');
    expect(emu.payments.get(created.id)?.value).toBe('10.5');
  });

  it('answers 404 for unknown resources', async () => {
    const response = await fetch(`${emu.baseUrl}/refund/nope`, { headers: { AccountId: emu.accountId, ApiKey: emu.apiKey } });
    expect(response.status).toBe(404);
  });
});
