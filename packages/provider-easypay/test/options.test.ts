import { describe, expect, it } from '@jest/globals';
import { optionsRefusal } from '@tender/core/testing';
import { EASYPAY_SANDBOX_URL, EasypayPaymentProvider } from '@tender/provider-easypay';

const valid = { accountId: 'acc', apiKey: 'key', webhookSecret: 'a-secret-of-16-chars' };

describe('Easypay provider options', () => {
  it('applies defaults: sandbox URL, Multibanco sale', () => {
    expect(EasypayPaymentProvider.validateOptions(valid)).toMatchObject({
      apiBaseUrl: EASYPAY_SANDBOX_URL,
      method: 'mb',
      type: 'sale',
    });
  });

  it.each(['accountId', 'apiKey', 'webhookSecret'])('names a missing %s as required', (name) => {
    const options: Record<string, unknown> = { ...valid };
    delete options[name];
    const error = optionsRefusal(EasypayPaymentProvider, options);
    expect(error.type).toBe('invalid_data');
    expect(error.message).toContain(`${name}: required`);
  });

  it('rejects missing options altogether, naming every credential', () => {
    const error = optionsRefusal(EasypayPaymentProvider, undefined);
    for (const name of ['accountId', 'apiKey', 'webhookSecret']) expect(error.message).toContain(name);
  });

  it('rejects a short webhook secret', () => {
    expect(optionsRefusal(EasypayPaymentProvider, { ...valid, webhookSecret: 'short' }).message).toMatch(
      /webhookSecret: the secret is 5 bytes, fewer than the 16 .*openssl rand -hex 32/,
    );
    expect(optionsRefusal(EasypayPaymentProvider, { ...valid, webhookSecret: '!'.repeat(24) }).message).toMatch(
      /webhookSecret: .*one byte repeated/,
    );
  });

  it('rejects an unknown method and a non-URL apiBaseUrl', () => {
    expect(optionsRefusal(EasypayPaymentProvider, { ...valid, method: 'paypal' }).message).toContain('method');
    expect(optionsRefusal(EasypayPaymentProvider, { ...valid, apiBaseUrl: 'not a url' }).message).toContain('apiBaseUrl');
  });

  it('refuses Multibanco authorisations', () => {
    expect(optionsRefusal(EasypayPaymentProvider, { ...valid, method: 'mb', type: 'authorisation' }).message).toContain(
      'type: Multibanco references cannot be authorisations',
    );
    expect(EasypayPaymentProvider.validateOptions({ ...valid, method: 'cc', type: 'authorisation' })).toMatchObject({
      type: 'authorisation',
    });
  });
});
