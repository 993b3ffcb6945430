import { describe, expect, it } from '@jest/globals';
import { matchWebhookRoute, normalizePrefix } from '@tender/http';

describe('normalizePrefix', () => {
  it.each([
    ['/hooks/payment', '/hooks/payment'],
    ['hooks/payment/', '/hooks/payment'],
    ['/', ''],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizePrefix(input)).toBe(expected);
  });
});

describe('matchWebhookRoute', () => {
  const prefix = '/hooks/payment';

  it.each([
    ['/hooks/payment/stripe_stripe', 'stripe_stripe', undefined],
    ['/hooks/payment/stripe_stripe/', 'stripe_stripe', undefined],
    ['/hooks/payment/system_default/_', 'system_default', undefined],
    ['/hooks/payment/stripe-blik_acme_eu/tenant_A-9', 'stripe-blik_acme_eu', 'tenant_A-9'],
    ['/hooks/payment/hmac_x/t?sig=1', 'hmac_x', 't'],
    [`/hooks/payment/a_b/${'t'.repeat(64)}`, 'a_b', 't'.repeat(64)],
  ])('%s → provider %s, tenant %s', (path, provider, tenant) => {
    expect(matchWebhookRoute(path, prefix)).toEqual({ kind: 'webhook', provider, tenant });
  });

  it.each(['/', '/hooks', '/hooks/paymentx/stripe_stripe', '/other/hooks/payment/stripe_stripe'])('%s is outside', (path) => {
    expect(matchWebhookRoute(path, prefix)).toEqual({ kind: 'outside' });
  });

  it.each([
    '/hooks/payment',
    '/hooks/payment/',
    '/hooks/payment/stripe',
    '/hooks/payment/stripe_',
    '/hooks/payment/_stripe',
    '/hooks/payment/-a_b',
    '/hooks/payment/st%72ipe_stripe',
    '/hooks/payment/../stripe_stripe',
    '/hooks/payment/stripe_stripe/a/b',
    '/hooks/payment/stripe_stripe//',
    '/hooks/payment/stripe_stripe/tenant.one',
    '/hooks/payment/stripe_stripe/t%20t',
    `/hooks/payment/stripe_stripe/${'t'.repeat(65)}`,
    `/hooks/payment/a_${'b'.repeat(127)}`,
  ])('%s is invalid', (path) => {
    expect(matchWebhookRoute(path, prefix)).toEqual({ kind: 'invalid' });
  });

  it('routes at the root when the prefix is empty', () => {
    expect(matchWebhookRoute('/stripe_stripe/acme', '')).toEqual({ kind: 'webhook', provider: 'stripe_stripe', tenant: 'acme' });
  });
});
