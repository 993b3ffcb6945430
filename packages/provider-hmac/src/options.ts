import { MIN_SECRET_BYTES, type PaymentAction, PaymentActions, secretWeakness } from '@tender/core';
import { z } from 'zod';

const action = z.enum(Object.values(PaymentActions) as [PaymentAction, ...PaymentAction[]]);
const fieldPath = z.string().min(1, 'use a dot path such as "data.amount"');

/**
 * Options of `@tender/provider-hmac`. Every field path is a dot path into the JSON body.
 * See README.md for what each mode sends and where the event id comes from.
 */
export const hmacProviderOptions = z
  .object({
    /**
     * `x-signature`: hex (or base64) HMAC-SHA256 of the raw body in one header, optionally with a timestamp.
     * `standard-webhooks`: webhook-id / webhook-timestamp / webhook-signature, `whsec_` secrets, ±5 minutes.
     */
    scheme: z.enum(['x-signature', 'standard-webhooks']).default('x-signature'),
    /** Every secret currently valid; list the new one next to the old one while rotating. */
    secrets: z
      .array(
        // The floor every scheme shares; the scheme-specific key check is in superRefine below.
        z.string().min(MIN_SECRET_BYTES, {
          abort: true,
          error: `a webhook secret needs at least ${MIN_SECRET_BYTES} bytes of key: make one with \`openssl rand -hex 32\` (Standard Webhooks: \`echo "whsec_$(openssl rand -base64 32)"\`)`,
        }),
      )
      .min(1, 'configure at least one webhook secret'),
    signatureHeader: z.string().min(1).default('x-signature'),
    signatureEncoding: z.enum(['hex', 'base64']).default('hex'),
    /** Set when the gateway sends a unix-seconds timestamp header; old deliveries are then refused as replays. */
    timestamp: z
      .object({
        header: z.string().min(1).default('x-timestamp'),
        toleranceSeconds: z.number().int().positive().default(300),
        /** True when the signature covers `<timestamp>.<body>`, false when it covers the body alone. */
        signed: z.boolean().default(true),
      })
      .optional(),
    /** `events`: typed events (`payment.completed` …). `order-payment`: an object whose status field is mapped. */
    mode: z.enum(['events', 'order-payment']).default('events'),
    events: z
      .object({
        eventIdField: fieldPath.default('id'),
        typeField: fieldPath.default('type'),
        sessionIdField: fieldPath.default('data.session_id'),
        amountField: fieldPath.default('data.amount'),
        currencyField: fieldPath.default('data.currency'),
        /** The refund's own id on refund events; the event id stands in when absent. */
        refundIdField: fieldPath.default('data.refund_id'),
        /** Extra or overriding event type → action entries, e.g. { "payment.authorized": "authorized" }. */
        actions: z.record(z.string(), action).default({}),
      })
      .prefault({}),
    orderPayment: z
      .object({
        /** Identifies the order payment; the event id is `<id>:<status>` (see README). */
        idField: fieldPath.default('orderPayment.id'),
        statusField: fieldPath.default('orderPayment.status'),
        sessionIdField: fieldPath.default('orderPayment.reference'),
        amountField: fieldPath.default('orderPayment.amount'),
        currencyField: fieldPath.default('orderPayment.currency'),
        /** Status → action; a status not listed is acknowledged as not_supported (it completes nothing). */
        statuses: z.record(z.string(), action).default({ PAID: PaymentActions.CAPTURED }),
      })
      .prefault({}),
    /** Whether amounts in webhooks and API calls are major units ("10.50") or integer minor units (1050). */
    amountUnit: z.enum(['major', 'minor']).default('major'),
    /** ISO 4217 code used when a webhook carries no currency (needed to convert minor units). */
    defaultCurrency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'use an ISO 4217 code such as "EUR"')
      .optional(),
    /** Base URL of the gateway's API; without it the provider works as a manual / asynchronous gateway. */
    apiBaseUrl: z.url({ protocol: /^https?$/, error: 'apiBaseUrl must be an http(s) URL' }).optional(),
    /** Sent as `Authorization: Bearer <apiKey>` on API calls. */
    apiKey: z.string().min(1).optional(),
    apiTimeoutMs: z.number().int().positive().default(10_000),
  })
  .superRefine((options, context) => {
    // Which bytes key the HMAC depends on the scheme: the text itself, or the base64 after whsec_.
    const standard = options.scheme === 'standard-webhooks';
    options.secrets.forEach((secret, index) => {
      const problem =
        standard && !secret.startsWith('whsec_')
          ? 'Standard Webhooks secrets look like "whsec_<base64>": copy the secret exactly as the gateway shows it'
          : secretWeakness(secret, standard ? 'standard-webhooks' : 'text');
      if (problem) context.addIssue({ code: 'custom', path: ['secrets', index], message: problem });
    });
    if (!standard) return;
    if (options.timestamp) {
      context.addIssue({
        code: 'custom',
        path: ['timestamp'],
        message: 'timestamp applies to scheme "x-signature" only: Standard Webhooks always checks webhook-timestamp (±5 min)',
      });
    }
  });

export type HmacProviderOptions = z.infer<typeof hmacProviderOptions>;
/** What a host writes in `providers: [{ resolve, options }]` (defaults not yet applied). */
export type HmacProviderOptionsInput = z.input<typeof hmacProviderOptions>;
