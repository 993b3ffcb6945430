import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { MIN_SECRET_BYTES, secretRefinement, secretSchema, secretWeakness } from '../src/index.js';

const whsec = (bytes: Buffer) => `whsec_${bytes.toString('base64')}`;

describe('secretWeakness', () => {
  it('accepts secrets with at least 16 bytes of key material', () => {
    expect(secretWeakness('0123456789abcdef', 'text')).toBeUndefined();
    expect(secretWeakness(whsec(Buffer.from('0123456789abcdef')), 'standard-webhooks')).toBeUndefined();
    expect(secretWeakness(`whsec_${'a1B2'.repeat(8)}`, 'stripe')).toBeUndefined();
    expect(secretWeakness('whsec_tender_test_0123456789abcdef', 'stripe')).toBeUndefined();
  });

  it('refuses whsec_!!!!!!!!!!, which decodes to an empty key, and says how to make a secret', () => {
    const problem = secretWeakness('whsec_!!!!!!!!!!', 'standard-webhooks');
    expect(problem).toMatch(/not base64/);
    expect(problem).toMatch(/openssl rand -base64 32/);
    expect(secretWeakness('whsec_!!!!!!!!!!', 'stripe')).toMatch(/10 bytes.*Stripe dashboard/);
  });

  it('counts decoded bytes, not characters, for Standard Webhooks', () => {
    // 20 characters of base64, but only 15 bytes of key.
    const short = whsec(Buffer.from(Array.from({ length: 15 }, (_, i) => i + 1)));
    expect(short.length).toBeGreaterThan(MIN_SECRET_BYTES);
    expect(secretWeakness(short, 'standard-webhooks')).toMatch(/decodes to 15 bytes/);
    expect(secretWeakness('0123456789abcdef0123', 'standard-webhooks')).toMatch(/whsec_/);
  });

  it('refuses short and repeated-byte secrets', () => {
    expect(secretWeakness('fifteen-chars!!', 'text')).toMatch(/15 bytes.*openssl rand -hex 32/);
    expect(secretWeakness('0000000000000000', 'text')).toMatch(/one byte repeated/);
    expect(secretWeakness(whsec(Buffer.alloc(32)), 'standard-webhooks')).toMatch(/one byte repeated/);
  });

  it('never repeats the secret in its message', () => {
    expect(secretWeakness('hunter2', 'text')).not.toContain('hunter2');
  });
});

describe('secretRefinement', () => {
  it('turns a weak secret into a zod issue on the option', () => {
    const schema = z.object({ secret: z.string().superRefine(secretRefinement('stripe')) });
    const result = schema.safeParse({ secret: 'whsec_!!!!!!!!!!' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['secret']);
    expect(schema.parse({ secret: `whsec_${'x9'.repeat(16)}` })).toEqual({ secret: `whsec_${'x9'.repeat(16)}` });
  });
});

describe('secretSchema', () => {
  const schema = secretSchema(z.string(), 'text');

  it('reports one issue, with the byte-level message, for a short secret', () => {
    const issues = schema.safeParse('short').error?.issues ?? [];
    expect(issues.map((issue) => issue.message)).toEqual([secretWeakness('short', 'text')]);
  });

  it('still refuses a long but weak one, and documents the floor in the JSON Schema', () => {
    expect(schema.safeParse('a'.repeat(40)).error?.issues[0]?.message).toMatch(/one byte repeated/);
    expect(schema.safeParse('0123456789abcdef').success).toBe(true);
    expect(z.toJSONSchema(schema)).toMatchObject({ type: 'string', minLength: MIN_SECRET_BYTES });
  });
});
