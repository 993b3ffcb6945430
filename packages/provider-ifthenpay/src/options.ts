import { secretSchema } from '@tender/core';
import { z } from 'zod';

/** Ifthenpay's API root (the same host serves production; Ifthenpay has no separate sandbox host). */
export const IFTHENPAY_API_URL = 'https://api.ifthenpay.com';

export const IfthenpayMethods = { MULTIBANCO: 'multibanco', MBWAY: 'mbway' } as const;
export type IfthenpayMethod = (typeof IfthenpayMethods)[keyof typeof IfthenpayMethods];

function required(what: string) {
  return (issue: { input: unknown }) => (issue.input === undefined ? `required: ${what}` : `must be a string (${what})`);
}

export const ifthenpayProviderOptions = z
  .object({
    /**
     * The anti-phishing key given to Ifthenpay with the callback URL: every callback carries it as `key`
     * (legacy: `chave`). It is the only proof a callback comes from Ifthenpay.
     */
    antiPhishingKey: secretSchema(
      z.string({ error: required('the anti-phishing key configured with the callback at Ifthenpay') }),
      'text',
    ),
    /** Which Ifthenpay method this provider instance offers; register one instance per method. */
    method: z.enum(['multibanco', 'mbway']).default('multibanco'),
    /** Multibanco key (e.g. "ABC-123456"), needed when method is "multibanco". */
    mbKey: z.string().min(1).optional(),
    /** MB WAY key (e.g. "ABC-123456"), needed when method is "mbway". */
    mbWayKey: z.string().min(1).optional(),
    /** Backoffice key: only refunds need it. */
    backofficeKey: z.string().min(1).optional(),
    apiBaseUrl: z.url().default(IFTHENPAY_API_URL),
    /** Days a Multibanco reference stays payable; Ifthenpay's default (no expiry) when absent. */
    expiryDays: z.number().int().min(0).max(999).optional(),
    description: z.string().min(1).max(200).default('Payment'),
    timeoutMs: z.number().int().positive().default(15000),
  })
  .superRefine((options, context) => {
    if (options.method === 'multibanco' && !options.mbKey) {
      context.addIssue({
        code: 'custom',
        path: ['mbKey'],
        message: 'required: the Multibanco key, since method is "multibanco"',
      });
    }
    if (options.method === 'mbway' && !options.mbWayKey) {
      context.addIssue({ code: 'custom', path: ['mbWayKey'], message: 'required: the MB WAY key, since method is "mbway"' });
    }
  });

export type IfthenpayProviderOptions = z.infer<typeof ifthenpayProviderOptions>;
export type IfthenpayProviderInput = z.input<typeof ifthenpayProviderOptions>;
