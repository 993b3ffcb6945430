import { describe, expect, it } from '@jest/globals';
import { optionsRefusal } from '@tender/core/testing';
import { HmacPaymentProvider } from '@tender/provider-hmac';

describe('HMAC provider options', () => {
  it('fills in the documented defaults', () => {
    expect(HmacPaymentProvider.validateOptions({ secrets: ['0123456789abcdef'] })).toEqual({
      scheme: 'x-signature',
      secrets: ['0123456789abcdef'],
      signatureHeader: 'x-signature',
      signatureEncoding: 'hex',
      mode: 'events',
      events: {
        eventIdField: 'id',
        typeField: 'type',
        sessionIdField: 'data.session_id',
        amountField: 'data.amount',
        currencyField: 'data.currency',
        refundIdField: 'data.refund_id',
        actions: {},
      },
      orderPayment: {
        idField: 'orderPayment.id',
        statusField: 'orderPayment.status',
        sessionIdField: 'orderPayment.reference',
        amountField: 'orderPayment.amount',
        currencyField: 'orderPayment.currency',
        statuses: { PAID: 'captured' },
      },
      amountUnit: 'major',
      apiTimeoutMs: 10000,
    });
  });

  it('fills timestamp defaults when the timestamp option is present', () => {
    expect(HmacPaymentProvider.validateOptions({ secrets: ['0123456789abcdef'], timestamp: {} })).toMatchObject({
      timestamp: { header: 'x-timestamp', toleranceSeconds: 300, signed: true },
    });
  });

  it.each([
    ['no options at all', undefined, /secrets/],
    ['an empty secrets list', { secrets: [] }, /secrets: configure at least one webhook secret/],
    [
      'a short secret',
      { secrets: ['short'] },
      /secrets\.0: a webhook secret needs at least 16 bytes of key.*openssl rand -hex 32/,
    ],
    [
      'a 16-character secret of fewer than 16 bytes of key under Standard Webhooks',
      { scheme: 'standard-webhooks', secrets: ['whsec_MDEyMzQ1Njc='] },
      /secrets\.0: the secret decodes to 8 bytes/,
    ],
    ['a repeated-byte secret', { secrets: ['0'.repeat(32)] }, /secrets\.0: the secret is one byte repeated/],
    [
      'a Standard Webhooks secret that decodes to an empty key',
      { scheme: 'standard-webhooks', secrets: ['whsec_!!!!!!!!!!'] },
      /secrets\.0: the secret is not base64 after "whsec_".*openssl rand -base64 32/,
    ],
    [
      'a Standard Webhooks secret that decodes to fewer than 16 bytes',
      { scheme: 'standard-webhooks', secrets: [`whsec_${Buffer.from('fifteen-bytes!!').toString('base64')}`] },
      /secrets\.0: the secret decodes to 15 bytes/,
    ],
    ['an unknown scheme', { secrets: ['0123456789abcdef'], scheme: 'md5' }, /scheme/],
    ['an unknown mode', { secrets: ['0123456789abcdef'], mode: 'orders' }, /mode/],
    [
      'an action that does not exist',
      { secrets: ['0123456789abcdef'], events: { actions: { 'payment.done': 'paid' } } },
      /events\.actions\.payment\.done/,
    ],
    [
      'an order status mapped to nothing',
      { secrets: ['0123456789abcdef'], orderPayment: { statuses: { PAID: 'done' } } },
      /orderPayment\.statuses\.PAID/,
    ],
    [
      'a non-http apiBaseUrl',
      { secrets: ['0123456789abcdef'], apiBaseUrl: 'ftp://127.0.0.1/' },
      /apiBaseUrl must be an http\(s\) URL/,
    ],
    [
      'a currency that is not ISO 4217',
      { secrets: ['0123456789abcdef'], defaultCurrency: 'EURO' },
      /defaultCurrency: use an ISO 4217 code/,
    ],
    ['a zero tolerance', { secrets: ['0123456789abcdef'], timestamp: { toleranceSeconds: 0 } }, /timestamp\.toleranceSeconds/],
    [
      'a Standard Webhooks secret without whsec_',
      { scheme: 'standard-webhooks', secrets: ['0123456789abcdef'] },
      /secrets\.0: Standard Webhooks secrets look like "whsec_<base64>"/,
    ],
    [
      'a timestamp option under Standard Webhooks',
      { scheme: 'standard-webhooks', secrets: ['whsec_MDEyMzQ1Njc4OWFiY2RlZg=='], timestamp: {} },
      /timestamp: timestamp applies to scheme "x-signature" only/,
    ],
  ])('rejects %s, naming the option', (_label, options, message) => {
    const error = optionsRefusal(HmacPaymentProvider, options);
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(/^Invalid options for payment provider "hmac"/);
    expect(error.message).toMatch(message);
  });
});
