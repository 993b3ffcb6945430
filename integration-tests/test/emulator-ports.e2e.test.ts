import { describe, expect, it } from '@jest/globals';
import { startEasypayEmulator } from '@tender/provider-easypay/testing';
import { startIfthenpayEmulator } from '@tender/provider-ifthenpay/testing';
import { startStripeEmulator } from '@tender/provider-stripe/testing';
import { freePort } from '../support/cli/readme.js';

// A fixed port lets a gateway's dashboard or a second process point at the emulator before it starts.
describe('the emulators listen on the port they are given', () => {
  it.each([
    ['Stripe', async (port: number) => (await startStripeEmulator({ port })) as { url: string; close(): Promise<void> }],
    [
      'Easypay',
      async (port: number) => {
        const emulator = await startEasypayEmulator({ port });
        return { url: emulator.baseUrl, close: () => emulator.close() };
      },
    ],
    [
      'Ifthenpay',
      async (port: number) => {
        const emulator = await startIfthenpayEmulator({ port });
        return { url: emulator.baseUrl, close: () => emulator.close() };
      },
    ],
  ])('%s', async (_name, start) => {
    const port = await freePort();
    const emulator = await start(port);
    try {
      expect(new URL(emulator.url).port).toBe(String(port));
      const response = await fetch(`http://127.0.0.1:${port}/nowhere`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await expect(start(port)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await emulator.close();
    }
  });
});
