import { secretSchema } from '@tender/core';
import { z } from 'zod';

/** Easypay's sandbox; production is https://api.prod.easypay.pt/2.0. */
export const EASYPAY_SANDBOX_URL = 'https://api.test.easypay.pt/2.0';

/** Easypay 2.0 method codes: Multibanco reference, MB WAY, card (Visa/Mastercard). */
export const EasypayMethods = { MULTIBANCO: 'mb', MBWAY: 'mbw', CARD: 'cc' } as const;
export type EasypayMethod = (typeof EasypayMethods)[keyof typeof EasypayMethods];

function required(what: string) {
  return (issue: { input: unknown }) => (issue.input === undefined ? `required: ${what}` : `must be a string (${what})`);
}

export const easypayProviderOptions = z
  .object({
    /** `AccountId` header: Easypay backoffice > Web Services > Configuration API 2.0 > Keys. */
    accountId: z.string({ error: required('the Easypay AccountId') }).min(1, 'must not be empty'),
    /** `ApiKey` header, generated next to the AccountId. */
    apiKey: z.string({ error: required('the Easypay ApiKey') }).min(1, 'must not be empty'),
    /** API root including the version; defaults to the sandbox so nobody charges real money by accident. */
    apiBaseUrl: z.url().default(EASYPAY_SANDBOX_URL),
    /** Which Easypay method this provider instance offers; register one instance per method. */
    method: z.enum(['mb', 'mbw', 'cc']).default('mb'),
    /**
     * `sale` collects at once; `authorisation` holds the funds until capturePayment (card and MB WAY only:
     * Multibanco references are always sales).
     */
    type: z.enum(['sale', 'authorisation']).default('sale'),
    /**
     * Shared secret the notification URL configured at Easypay carries, as the HTTP Basic password
     * (`https://easypay:<secret>@shop.example/hooks/payment/easypay_<id>`) or as `?secret=<secret>`.
     * Easypay does not sign notifications, so without it every notification is rejected.
     */
    webhookSecret: secretSchema(
      z.string({ error: required('a random notification secret of at least 16 bytes (see the README)') }),
      'text',
    ),
    /** Bank-statement / MB WAY app text for captures. */
    descriptive: z.string().min(1).max(255).default('Payment'),
    /** Request timeout for each Easypay API call, in milliseconds. */
    timeoutMs: z.number().int().positive().default(15000),
  })
  .refine((options) => !(options.method === 'mb' && options.type === 'authorisation'), {
    message: 'Multibanco references cannot be authorisations: use type "sale" with method "mb"',
    path: ['type'],
  });

export type EasypayProviderOptions = z.infer<typeof easypayProviderOptions>;
export type EasypayProviderInput = z.input<typeof easypayProviderOptions>;
