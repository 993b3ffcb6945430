import { expect } from '@jest/globals';
import type { TenderErrorType } from '@tender/core';
import { HmacPaymentProvider, type HmacProviderOptions, type HmacProviderOptionsInput } from '@tender/provider-hmac';
import { type CreateHmacWebhookInput, createHmacWebhook, type HmacWebhookRequest } from '@tender/provider-hmac/testing';
import { toProviderPayload } from '@tender/provider-testkit';

export const SECRET = 'hmac-test-secret-0000000001';
export const OTHER_SECRET = 'hmac-test-secret-0000000002';

export function makeProvider(options: HmacProviderOptionsInput, fetchImpl?: typeof fetch): HmacPaymentProvider {
  return new HmacPaymentProvider({ fetch: fetchImpl }, HmacPaymentProvider.validateOptions(options) as HmacProviderOptions);
}

/** Reads `request` with a provider configured by `options`, exactly as the route would hand it over. */
export function read(options: HmacProviderOptionsInput, request: HmacWebhookRequest | ReturnType<typeof toRequest>) {
  return makeProvider(options).getWebhookActionAndData(toProviderPayload(request));
}

/** A signed webhook for a provider configured by `options`. */
export function signed(
  options: HmacProviderOptionsInput,
  input: Omit<CreateHmacWebhookInput, 'options' | 'secret'> & { secret?: string },
) {
  return createHmacWebhook({ secret: SECRET, ...input, options });
}

export function toRequest(headers: Record<string, string>, rawBody: Buffer) {
  return { method: 'POST', headers, rawBody };
}

export function flipByte(rawBody: Buffer, index = Math.floor(rawBody.length / 2)): Buffer {
  const copy = Buffer.from(rawBody);
  copy[index] ^= 0x01;
  return copy;
}

export async function expectTenderError(promise: Promise<unknown>, type: TenderErrorType, message: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'TenderError', type, message: expect.stringMatching(message) });
}
