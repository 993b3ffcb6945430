import type { z } from 'zod';

/** The least key material a webhook secret may carry: 128 bits, the HMAC-SHA256 security floor. */
export const MIN_SECRET_BYTES = 16;

/**
 * How a provider turns its configured secret string into key material:
 * - `text`: the string's UTF-8 bytes are the key (x-signature HMACs, shared query/Basic secrets);
 * - `standard-webhooks`: `whsec_` then base64, the decoded bytes are the key;
 * - `stripe`: Stripe keys its HMAC with the whole `whsec_…` string, whose prefix is public, so what
 *   protects it is the text after `whsec_`.
 */
export type SecretFormat = 'text' | 'standard-webhooks' | 'stripe';

const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const HOW_TO_MAKE: Record<SecretFormat, string> = {
  text: 'make one with `openssl rand -hex 32`',
  'standard-webhooks': 'copy it exactly as the gateway shows it, or make one with `echo "whsec_$(openssl rand -base64 32)"`',
  stripe: "copy the endpoint's signing secret from the Stripe dashboard (Developers > Webhooks) or from `stripe listen`",
};

/** The bytes an HMAC is keyed with, or a reason there are none. */
function keyMaterial(secret: string, format: SecretFormat): Buffer | string {
  if (format === 'text') return Buffer.from(secret, 'utf8');
  if (format === 'stripe') return Buffer.from(secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret, 'utf8');
  if (!secret.startsWith(WHSEC)) return 'must look like "whsec_<base64>"';
  const encoded = secret.slice(WHSEC.length);
  // Buffer.from(…, 'base64') skips what is not base64, so "whsec_!!!!" would silently be an empty key.
  if (!BASE64.test(encoded)) return 'is not base64 after "whsec_"';
  return Buffer.from(encoded, 'base64');
}

/**
 * Why `secret` is too weak to sign webhooks, with how to make a good one; undefined when it is fine.
 * The message never contains the secret.
 */
export function secretWeakness(secret: string, format: SecretFormat): string | undefined {
  const key = keyMaterial(secret, format);
  const how = HOW_TO_MAKE[format];
  if (typeof key === 'string') return `the secret ${key}: ${how}`;
  const what = format === 'standard-webhooks' ? 'decodes to' : format === 'stripe' ? 'has, after "whsec_",' : 'is';
  if (key.length < MIN_SECRET_BYTES) {
    return `the secret ${what} ${key.length} bytes, fewer than the ${MIN_SECRET_BYTES} a webhook secret needs: ${how}`;
  }
  if (key.every((byte) => byte === key[0])) return `the secret is one byte repeated, not a random secret: ${how}`;
  return undefined;
}

/**
 * A zod refinement for an options schema: `z.string().superRefine(secretRefinement('text'))`.
 * It takes the context zod passes, so each provider keeps its own zod import.
 */
export function secretRefinement(format: SecretFormat): (secret: string, context: z.RefinementCtx) => void {
  return (secret, context) => {
    const problem = secretWeakness(secret, format);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  };
}

/**
 * `schema` (a provider's `z.string(…)`) refused when `secret` is weak: a length floor first, so the generated
 * options reference still says "≥ 16 characters" (a UTF-8 key has at least as many bytes as characters), then
 * the byte-level check. Either failure carries `secretWeakness`'s message, once.
 */
export function secretSchema(schema: z.ZodString, format: SecretFormat): z.ZodString {
  return schema
    .min(MIN_SECRET_BYTES, {
      abort: true,
      error: (issue) => secretWeakness(String(issue.input), format) ?? `must be at least ${MIN_SECRET_BYTES} characters`,
    })
    .superRefine(secretRefinement(format));
}
