// Each check must fail for the defect it exists to catch: a conformance suite that always passes is worthless.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  type CapturePaymentInput,
  headerValue,
  hmacSha256,
  type PaymentDataInput,
  type PaymentDataOutput,
  type ProviderWebhookPayload,
  signTimestamped,
  TenderError,
  verifyTimestamped,
  type WebhookActionAndData,
} from '@tender/core';
import {
  authorize,
  bumpFirstDigit,
  ConformanceFailure,
  type ConformanceWebhookEvent,
  capture,
  checkAcceptsValidOptions,
  checkEventIds,
  checkProviderClass,
  checkProviderInterface,
  checkRejectsInvalidOptions,
  checkRejectsMissingSignature,
  checkRejectsReplay,
  checkRejectsTamperedBody,
  checkRejectsWrongSecret,
  checkWebhookRoundTrip,
  initiate,
  newConformanceEvent,
  newConformancePayment,
  type ProviderConformanceFixtures,
  refund,
  withoutCredentials,
} from '@tender/provider-testkit';
import { z } from 'zod';
import { AcmePaymentProvider } from './support/acme-provider.js';
import { ACME_SECRET, acmeWebhook } from './support/acme-webhook.js';

const options = { webhookSecrets: [ACME_SECRET] };
const fixtures: ProviderConformanceFixtures = {
  providerClass: AcmePaymentProvider,
  validOptions: options,
  invalidOptions: [{ options: {}, mentions: 'webhookSecrets' }],
  signedWebhook: acmeWebhook,
  signatureHeaders: ['x-acme-signature'],
};

function make<T extends typeof AcmePaymentProvider>(Provider: T) {
  return new Provider({}, AcmePaymentProvider.validateOptions(options) as typeof options);
}

/** Skips verification entirely, as a provider that trusts the parsed body would. */
class TrustingProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const headers = { ...payload.headers, 'x-acme-signature': hmacSha256(ACME_SECRET, payload.rawData) };
    return super.getWebhookActionAndData({ ...payload, headers });
  }
}

/** Rejects bad signatures, but with a plain Error the route would turn into a 500 (and a retry storm). */
class PlainErrorProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    try {
      return await super.getWebhookActionAndData(payload);
    } catch (error) {
      throw new Error(String(error));
    }
  }
}

class NumberAmountProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const result = await super.getWebhookActionAndData(payload);
    return { ...result, data: { ...result.data!, amount: Number(result.data!.amount) as unknown as string } };
  }
}

class MinorUnitsProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const result = await super.getWebhookActionAndData(payload);
    return { ...result, data: { ...result.data!, amount: result.data!.amount.replace('.', '') } };
  }
}

class RandomEventIdProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    return { ...(await super.getWebhookActionAndData(payload)), event_id: randomUUID() };
  }
}

class SessionEventIdProvider extends AcmePaymentProvider {
  override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    const result = await super.getWebhookActionAndData(payload);
    return { ...result, event_id: result.data?.session_id };
  }
}

let captures = 0;
class CountingCaptureProvider extends AcmePaymentProvider {
  override async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    captures += 1;
    return { data: { ...input.data, capture_number: captures } };
  }
}

class CaptureOnceProvider extends AcmePaymentProvider {
  private readonly captured = new Set<string>();
  override async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    const id = String(input.data.session_id);
    if (this.captured.has(id)) throw new TenderError('not_allowed', 'Payment already captured.');
    this.captured.add(id);
    return super.capturePayment(input);
  }
}

class DateDataProvider extends AcmePaymentProvider {
  override async authorizePayment(input: PaymentDataInput) {
    return { status: 'authorized' as const, data: { ...input.data, authorized_at: new Date(0) } };
  }
}

class EmptyIdProvider extends AcmePaymentProvider {
  override async initiatePayment() {
    return { id: '' };
  }
}

/** Signs `t=…,v1=…` like Stripe; `toleranceSeconds: 0` is the defect of never checking the age. */
function timestampedAcme(toleranceSeconds: number) {
  return class extends AcmePaymentProvider {
    override async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
      verifyTimestamped(headerValue(payload.headers, 'x-acme-timestamped'), payload.rawData, {
        secrets: [ACME_SECRET],
        toleranceSeconds,
      });
      const headers = { ...payload.headers, 'x-acme-signature': hmacSha256(ACME_SECRET, payload.rawData) };
      return super.getWebhookActionAndData({ ...payload, headers });
    }
  };
}

const timestampedFixtures: ProviderConformanceFixtures = {
  ...fixtures,
  signatureHeaders: ['x-acme-timestamped'],
  replayToleranceSeconds: 300,
  signedWebhook: (event, sign) => {
    const webhook = acmeWebhook(event, sign);
    return {
      ...webhook,
      headers: { 'x-acme-timestamped': signTimestamped(sign.secret ?? ACME_SECRET, webhook.rawBody, sign.timestamp) },
    };
  },
};

const failure = (pattern: RegExp) =>
  expect.objectContaining({ name: 'ConformanceFailure', message: expect.stringMatching(pattern) });

describe('the conformance checks catch defects', () => {
  it('pass a conforming provider (the control for every case below)', async () => {
    const provider = make(AcmePaymentProvider);
    await expect(checkRejectsTamperedBody(provider, fixtures)).resolves.toBeUndefined();
    await expect(checkRejectsWrongSecret(provider, fixtures)).resolves.toBeUndefined();
    await expect(checkRejectsMissingSignature(provider, fixtures)).resolves.toBeUndefined();
    await expect(checkEventIds(provider, fixtures, 'captured')).resolves.toBeUndefined();
    await expect(refund(provider, newConformancePayment('acme'))).resolves.toBeDefined();
  });

  it('a provider that does not verify signatures', async () => {
    const provider = make(TrustingProvider);
    await expect(checkRejectsTamperedBody(provider, fixtures)).rejects.toEqual(
      failure(/accepted a webhook whose body was changed/),
    );
    await expect(checkRejectsWrongSecret(provider, fixtures)).rejects.toEqual(failure(/accepted a webhook signed with a secret/));
    await expect(checkRejectsMissingSignature(provider, fixtures)).rejects.toEqual(failure(/accepted a webhook without/));
  });

  it('a provider that accepts stale deliveries (replays), and a fixture that ignores sign.timestamp', async () => {
    await expect(checkRejectsReplay(make(timestampedAcme(300)), timestampedFixtures)).resolves.toBeUndefined();
    await expect(checkRejectsReplay(make(timestampedAcme(0)), timestampedFixtures)).rejects.toEqual(
      failure(/accepted a webhook signed 360s ago/),
    );
    const ignoresTimestamp = {
      ...timestampedFixtures,
      signedWebhook: (e: ConformanceWebhookEvent) => timestampedFixtures.signedWebhook(e, {}),
    };
    await expect(checkRejectsReplay(make(timestampedAcme(300)), ignoresTimestamp)).rejects.toEqual(
      failure(/honour sign.timestamp/),
    );
  });

  it('a provider that rejects with a plain Error instead of TenderError unauthorized', async () => {
    await expect(checkRejectsWrongSecret(make(PlainErrorProvider), fixtures)).rejects.toEqual(
      failure(/TenderError\('unauthorized'/),
    );
  });

  it('a missing-signature fixture that names no header', async () => {
    await expect(checkRejectsMissingSignature(make(AcmePaymentProvider), { ...fixtures, signatureHeaders: [] })).rejects.toEqual(
      failure(/fixtures.signatureHeaders/),
    );
  });

  it('amounts as numbers or in minor units', async () => {
    const event = newConformanceEvent('captured');
    await expect(checkWebhookRoundTrip(make(NumberAmountProvider), fixtures, event)).rejects.toEqual(failure(/decimal string/));
    await expect(checkWebhookRoundTrip(make(MinorUnitsProvider), fixtures, event)).rejects.toEqual(failure(/minor units/));
  });

  it('a webhook read as the wrong action', async () => {
    const event = { ...newConformanceEvent('captured'), action: 'failed' as const };
    const mislabelled = { ...fixtures, signedWebhook: (e: typeof event) => acmeWebhook({ ...e, action: 'captured' }) };
    await expect(checkWebhookRoundTrip(make(AcmePaymentProvider), mislabelled, event)).rejects.toEqual(
      failure(/read as action "captured"/),
    );
  });

  it('event ids that change on redelivery or repeat across events', async () => {
    await expect(checkEventIds(make(RandomEventIdProvider), fixtures, 'captured')).rejects.toEqual(failure(/redelivered/));
    await expect(checkEventIds(make(SessionEventIdProvider), fixtures, 'captured')).rejects.toEqual(failure(/same event_id/));
  });

  it('captures that are not idempotent', async () => {
    await expect(capture(make(CountingCaptureProvider), newConformancePayment('acme'))).rejects.toEqual(
      failure(/capturePayment gave a different result/),
    );
    await expect(capture(make(CaptureOnceProvider), newConformancePayment('acme'))).rejects.toEqual(
      failure(/capturePayment \(retried with the same idempotency key\) threw TenderError\(not_allowed\)/),
    );
  });

  it('data that does not survive JSON storage, and an empty payment id', async () => {
    await expect(authorize(make(DateDataProvider), newConformancePayment('acme'))).rejects.toEqual(failure(/JSON/));
    await expect(initiate(make(EmptyIdProvider), newConformancePayment('acme'))).rejects.toEqual(failure(/non-empty payment id/));
  });

  it('option schemas that accept anything or errors that do not name the option', () => {
    class Lenient extends AcmePaymentProvider {
      // A schema that forgot .min(1): it lets a provider start with no secret at all.
      static override optionsSchema = z.object({
        webhookSecrets: z.array(z.string()).default([]),
      }) as unknown as typeof AcmePaymentProvider.optionsSchema;
    }
    expect(() => checkRejectsInvalidOptions(Lenient, { options: {}, mentions: 'webhookSecrets' })).toThrow(ConformanceFailure);
    class Vague extends AcmePaymentProvider {
      static override validateOptions(): never {
        throw new TenderError('invalid_data', 'Bad options.');
      }
    }
    expect(() => checkRejectsInvalidOptions(Vague, { options: {}, mentions: 'webhookSecrets' })).toThrow(
      /must name "webhookSecrets"/,
    );
    expect(() => checkAcceptsValidOptions(Vague, options)).toThrow(/rejected fixtures.validOptions/);
  });

  it('an identifier with an underscore and a provider missing methods', () => {
    expect(() => checkProviderClass({ identifier: 'acme_pay', validateOptions: (o: unknown) => o })).toThrow(/no "_"/);
    const partial = { initiatePayment: async () => ({ id: 'x' }) } as never;
    expect(() => checkProviderInterface(partial)).toThrow(/does not implement updatePayment, deletePayment/);
  });
});

describe('webhook request helpers', () => {
  it('bumpFirstDigit changes exactly one byte and keeps the JSON valid', () => {
    const webhook = { headers: {}, rawBody: Buffer.from('{"id":"evt_9","amount":"19.99"}') };
    const tampered = bumpFirstDigit(webhook);
    const changed = [...tampered.rawBody].filter((byte, i) => byte !== webhook.rawBody[i]);
    expect(changed).toHaveLength(1);
    expect(JSON.parse(tampered.rawBody.toString())).toEqual({ id: 'evt_8', amount: '19.99' });
    expect(webhook.rawBody.toString()).toBe('{"id":"evt_9","amount":"19.99"}');
  });

  it('withoutCredentials drops the named headers in any case and the named query parameters', () => {
    const stripped = withoutCredentials(
      { headers: { 'X-Signature': 'a', 'Content-Type': 'b' }, rawBody: Buffer.alloc(0), query: { key: 'k', orderId: '1' } },
      ['x-signature'],
      ['key'],
    );
    expect(stripped.headers).toEqual({ 'Content-Type': 'b' });
    expect(stripped.query).toEqual({ orderId: '1' });
  });
});
