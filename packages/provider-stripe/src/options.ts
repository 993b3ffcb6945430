import { secretWeakness } from '@tender/core';
import { z } from 'zod';

const secretList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'webhookSecret is required: the endpoint signing secret (whsec_…) from the Stripe dashboard or `stripe listen`',
  })
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .superRefine((secrets, context) => {
    secrets.forEach((secret, index) => {
      const problem = secretWeakness(secret, 'stripe');
      if (problem) context.addIssue({ code: 'custom', path: secrets.length > 1 ? [index] : [], message: problem });
    });
  });

/**
 * Options of every Stripe variant. `webhookSecret` is required on purpose: a Stripe provider that cannot
 * verify webhooks would have to trust unsigned requests, so a missing secret stops start-up.
 */
export const stripeOptionsSchema = z
  .object({
    /** Secret (sk_…) or restricted (rk_…) API key. */
    apiKey: z
      .string({ error: 'apiKey is required: your Stripe secret key (sk_live_… or sk_test_…)' })
      .min(1, 'apiKey is required: your Stripe secret key (sk_live_… or sk_test_…)')
      .refine((key) => !key.startsWith('pk_'), {
        message: 'apiKey is a publishable key (pk_…): use the secret key (sk_…) or a restricted key (rk_…)',
      }),
    /** One signing secret, or several while a secret is being rolled (each is tried). */
    webhookSecret: secretList,
    /** Capture on authorization (`capture_method: automatic`); default false, capture later. */
    capture: z.boolean().default(false),
    /** Let Stripe choose the payment methods enabled in the dashboard (card variant only). */
    automaticPaymentMethods: z.boolean().default(false),
    /** Description put on every PaymentIntent. */
    paymentDescription: z.string().optional(),
    /** Seconds a webhook signature stays valid (Stripe's default tolerance). */
    tolerance: z.number().int().nonnegative().default(300),
    /** Stripe sends latency telemetry headers unless this is true. */
    telemetry: z.boolean().default(false),
    /** Retries of a call that failed with a connection error or a 429, with exponential backoff. */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /** First backoff delay; doubled on each retry, with jitter. */
    retryDelayMs: z.number().int().nonnegative().default(500),
    /** Per-request timeout. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** API host override, for a local emulator (tests, demo, CI). */
    apiHost: z.string().min(1).optional(),
    apiPort: z.coerce.number().int().min(1).max(65535).optional(),
    apiProtocol: z.enum(['http', 'https']).optional(),
  })
  .refine((options) => !(options.apiProtocol === 'http' && options.apiKey.startsWith('sk_live_')), {
    message: 'apiProtocol "http" is only for local emulators: a live key (sk_live_…) must use https',
    path: ['apiProtocol'],
  });

export type StripeProviderOptions = z.output<typeof stripeOptionsSchema>;
/** What a host writes in `providers: [{ options }]`. */
export type StripeProviderOptionsInput = z.input<typeof stripeOptionsSchema>;
