import { performance } from 'node:perf_hooks';
import {
  hmacSha256,
  signStandardWebhook,
  signTimestamped,
  verifyHmacSha256,
  verifyStandardWebhook,
  verifyTimestamped,
} from '@tender/core';
import { verifyStripeSignature } from '@tender/provider-stripe';
import { createStripeWebhook } from '@tender/provider-stripe/testing';
import Stripe from 'stripe';
import { median } from './stats.js';

const SECRET = 'whsec_bench_0123456789abcdef';
const STANDARD_SECRET = `whsec_${Buffer.from('bench-standard-webhooks-secret-32b').toString('base64')}`;

/** A typical small event body, as the system, HMAC and Standard Webhooks senders post. */
function eventBody() {
  return Buffer.from(
    JSON.stringify({
      id: 'evt_bench_0001',
      type: 'payment.captured',
      created_at: new Date().toISOString(),
      data: { session_id: 'payses_01JBENCHBENCHBENCHBENCHBENCH', amount: '25.00', currency_code: 'usd' },
    }),
  );
}

/** Each provider's verification of one delivery, exactly as its webhook handler calls it. */
function cases() {
  const body = eventBody();
  const systemHeader = signTimestamped(SECRET, body);
  const hmacSignature = hmacSha256(SECRET, body, 'hex');
  const standard = signStandardWebhook(STANDARD_SECRET, 'msg_bench_0001', body);
  const stripe = createStripeWebhook({
    secret: SECRET,
    type: 'payment_intent.succeeded',
    object: { id: 'pi_bench', amount: 2500, currency: 'usd', metadata: { session_id: 'payses_bench' } },
  });
  const stripeHeader = stripe.headers['stripe-signature'];
  return [
    {
      provider: 'system',
      scheme: 'X-Tender-Signature t=,v1= (HMAC-SHA256)',
      bytes: body.length,
      verify: () => verifyTimestamped(systemHeader, body, { secrets: [SECRET], toleranceSeconds: 300 }),
    },
    {
      provider: 'hmac',
      scheme: 'X-Signature hex HMAC-SHA256',
      bytes: body.length,
      verify: () => {
        if (!verifyHmacSha256([SECRET], body, hmacSignature, 'hex')) throw new Error('hmac did not verify');
      },
    },
    {
      provider: 'stripe (SDK constructEvent)',
      scheme: 'Stripe-Signature, parses the event',
      bytes: stripe.rawBody.length,
      verify: () => Stripe.webhooks.constructEvent(stripe.rawBody, stripeHeader, SECRET),
    },
    {
      provider: 'stripe (provider check)',
      scheme: 'strict UTF-8 + SDK verifyHeader',
      bytes: stripe.rawBody.length,
      verify: () => verifyStripeSignature(stripe.rawBody, stripeHeader, [SECRET], 300),
    },
    {
      provider: 'standard-webhooks',
      scheme: 'webhook-id/timestamp/signature v1',
      bytes: body.length,
      verify: () =>
        verifyStandardWebhook(
          { id: standard['webhook-id'], timestamp: standard['webhook-timestamp'], signature: standard['webhook-signature'] },
          body,
          [STANDARD_SECRET],
        ),
    },
  ];
}

/** Verifications per second for each provider: `iterations` per run, median of `repeats` runs. */
export async function measureSignatures(iterations, repeats) {
  const results = [];
  for (const c of cases()) {
    for (let i = 0; i < Math.min(2000, iterations); i++) c.verify(); // warm-up
    const rates = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      for (let i = 0; i < iterations; i++) c.verify();
      rates.push(iterations / ((performance.now() - started) / 1000));
      await new Promise((resolve) => setImmediate(resolve));
    }
    results.push({ provider: c.provider, scheme: c.scheme, body_bytes: c.bytes, perSecond: median(rates), runs: rates });
  }
  return results;
}
