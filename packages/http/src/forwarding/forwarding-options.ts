import { secretSchema, TenderError } from '@tender/core';
import { z } from 'zod';
import { DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT_MS, type WebhookLogger } from '../options.js';

/**
 * The edge and the central API share one secret: it is the only thing that tells the central API a
 * request came from our own edge, so it gets the same 16-byte floor as a provider's webhook secret.
 */
const forwardingSecret = secretSchema(
  z.string({ error: 'secret is required: the secret shared by the edge and the central API (`openssl rand -hex 32`)' }),
  'text',
);

export const forwardedEndpointOptionsSchema = z.object({
  secret: forwardingSecret,
  prefix: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'use a path such as "/v1/webhooks/payments"')
    .transform((prefix) => prefix.replace(/\/+$/, ''))
    .default('/v1/webhooks/payments'),
  bodyLimit: z.number().int().nonnegative().default(DEFAULT_BODY_LIMIT),
  bodyTimeoutMs: z.number().int().positive().default(DEFAULT_BODY_TIMEOUT_MS),
  logger: z.custom<WebhookLogger>((value) => typeof value === 'object' && value !== null).optional(),
});
export type ForwardedEndpointConfig = z.output<typeof forwardedEndpointOptionsSchema>;

export const forwardingOptionsSchema = z.object({
  target: z.url({ protocol: /^https?$/, error: 'target must be the http(s) URL of the central forwarding endpoint' }),
  secret: forwardingSecret,
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function').optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type ForwardingConfig = z.output<typeof forwardingOptionsSchema>;

/** Parses options at construction, so a weak secret stops start-up with a message naming the option. */
export function parseForwardingOptions<Schema extends z.ZodType>(
  schema: Schema,
  options: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(options)'}: ${issue.message}`)
    .join('; ');
  throw new TenderError('invalid_data', `Invalid ${what} options: ${problems}`);
}
