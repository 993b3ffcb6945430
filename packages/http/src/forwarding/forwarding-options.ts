import { checkOptions, functionOption, secretSchema, strictOptions } from '@tender/core';
import { z } from 'zod';
import { bodyLimitOption, DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT_MS, loggerOption, timeoutOption } from '../options.js';

/**
 * The edge and the central API share one secret: it is the only thing that tells the central API a
 * request came from our own edge, so it gets the same 16-byte floor as a provider's webhook secret.
 */
const forwardingSecret = secretSchema(
  z.string({ error: 'secret is required: the secret shared by the edge and the central API (`openssl rand -hex 32`)' }),
  'text',
);

export const forwardedEndpointOptionsSchema = strictOptions({
  secret: forwardingSecret,
  prefix: z
    .string({ error: 'must be a path such as "/v1/webhooks/payments"' })
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'use a path such as "/v1/webhooks/payments"')
    .transform((prefix) => prefix.replace(/\/+$/, ''))
    .default('/v1/webhooks/payments'),
  bodyLimit: bodyLimitOption.default(DEFAULT_BODY_LIMIT),
  bodyTimeoutMs: timeoutOption('how long the whole body may take to arrive').default(DEFAULT_BODY_TIMEOUT_MS),
  logger: loggerOption,
});
export type ForwardedEndpointConfig = z.output<typeof forwardedEndpointOptionsSchema>;

export const forwardingOptionsSchema = strictOptions({
  target: z.url({ protocol: /^https?$/, error: 'target must be the http(s) URL of the central forwarding endpoint' }),
  secret: forwardingSecret,
  fetch: functionOption<typeof fetch>('a fetch implementation'),
  timeoutMs: timeoutOption('how long the central API may take to answer').default(10_000),
});
export type ForwardingConfig = z.output<typeof forwardingOptionsSchema>;

/**
 * Parses options at construction, so a weak secret, a bad number or a misspelt name stops start-up with a
 * message naming the option.
 */
export function parseForwardingOptions<Schema extends z.ZodType>(
  schema: Schema,
  options: unknown,
  what: string,
): z.output<Schema> {
  return checkOptions(schema, options ?? {}, what);
}
