import { describe, expect, it } from '@jest/globals';
import { optionsRefusal } from '@tender/core/testing';
import { IFTHENPAY_API_URL, IfthenpayPaymentProvider } from '@tender/provider-ifthenpay';

const valid = { antiPhishingKey: 'anti-phishing-key', mbKey: 'ABC-123456' };

describe('Ifthenpay provider options', () => {
  it('applies defaults: Multibanco on the Ifthenpay API', () => {
    expect(IfthenpayPaymentProvider.validateOptions(valid)).toMatchObject({
      method: 'multibanco',
      apiBaseUrl: IFTHENPAY_API_URL,
    });
  });

  it('names a missing anti-phishing key as required', () => {
    const error = optionsRefusal(IfthenpayPaymentProvider, { mbKey: 'ABC-123456' });
    expect(error.type).toBe('invalid_data');
    expect(error.message).toContain('antiPhishingKey: required');
  });

  it('requires the key of the configured method', () => {
    expect(optionsRefusal(IfthenpayPaymentProvider, { antiPhishingKey: 'anti-phishing-key' }).message).toContain(
      'mbKey: required',
    );
    const mbway = optionsRefusal(IfthenpayPaymentProvider, {
      antiPhishingKey: 'anti-phishing-key',
      method: 'mbway',
      mbKey: 'ABC-1',
    });
    expect(mbway.message).toContain('mbWayKey: required');
    expect(
      IfthenpayPaymentProvider.validateOptions({ antiPhishingKey: 'anti-phishing-key', method: 'mbway', mbWayKey: 'X-1' }),
    ).toMatchObject({
      method: 'mbway',
    });
  });

  it('rejects a short anti-phishing key, an unknown method and a bad URL', () => {
    expect(optionsRefusal(IfthenpayPaymentProvider, { ...valid, antiPhishingKey: 'short' }).message).toMatch(
      /antiPhishingKey: the secret is 5 bytes, fewer than the 16 .*openssl rand -hex 32/,
    );
    // Eight characters were enough before: a key an attacker could guess.
    expect(optionsRefusal(IfthenpayPaymentProvider, { ...valid, antiPhishingKey: 'abcd1234' }).message).toMatch(
      /antiPhishingKey: the secret is 8 bytes/,
    );
    expect(optionsRefusal(IfthenpayPaymentProvider, { ...valid, method: 'payshop' }).message).toContain('method');
    expect(optionsRefusal(IfthenpayPaymentProvider, { ...valid, apiBaseUrl: 'nope' }).message).toContain('apiBaseUrl');
  });

  it('declares that the payment module must verify the callback amount', () => {
    expect(IfthenpayPaymentProvider.verifiesSessionAmount).toBe(true);
  });
});
