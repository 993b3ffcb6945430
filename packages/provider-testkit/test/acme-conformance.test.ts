// The README example end to end: a conforming provider passes every check.
import { runProviderConformance } from '@tender/provider-testkit';
import { AcmePaymentProvider } from './support/acme-provider.js';
import { ACME_SECRET, acmeWebhook } from './support/acme-webhook.js';

const options = { webhookSecrets: [ACME_SECRET] };

runProviderConformance(() => new AcmePaymentProvider({}, AcmePaymentProvider.validateOptions(options) as typeof options), {
  providerClass: AcmePaymentProvider,
  validOptions: options,
  invalidOptions: [
    { options: {}, mentions: 'webhookSecrets', description: 'webhookSecrets (missing)' },
    { options: { webhookSecrets: ['short'] }, mentions: 'webhookSecrets', description: 'webhookSecrets (too short)' },
  ],
  signedWebhook: acmeWebhook,
  signatureHeaders: ['x-acme-signature'],
  webhookActions: ['captured', 'failed', 'refunded', 'not_supported'],
});
