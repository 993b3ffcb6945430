import { describeTimestampProblem, TenderError, timestampOutsideTolerance } from '@tender/core';
import Stripe from 'stripe';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The `t=` the SDK signed with: it reads the header the same way (the last `t=` entry, through parseInt),
 * and computes the HMAC over `<that number>.<body>`, so once the signature matched this value is authentic.
 */
function signedTimestamp(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = Number.parseInt(value ?? '', 10);
  }
  return timestamp;
}

/**
 * The SDK refuses a signature older than the tolerance but accepts one dated any time ahead, so a delivery
 * signed for next year would stay replayable until then. Refuse the future side of the window too.
 */
function assertNotAhead(header: string, toleranceSeconds: number): void {
  const problem = timestampOutsideTolerance(signedTimestamp(header), toleranceSeconds);
  if (problem && problem !== 'past') {
    throw new TenderError(
      'unauthorized',
      `Stripe-Signature timestamp is ${describeTimestampProblem(problem, toleranceSeconds)}.`,
    );
  }
}

/**
 * Verifies `Stripe-Signature` over the exact request bytes with the SDK, trying every configured secret
 * (several during a secret roll), and that its timestamp lies within the tolerance on both sides of now.
 * Throws TenderError('unauthorized') saying what is wrong, never which secret was tried.
 */
export function verifyStripeSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  toleranceSeconds: number,
): void {
  if (!header) {
    throw new TenderError('unauthorized', 'Missing Stripe-Signature header: the request did not come from Stripe.');
  }
  // The SDK hashes the UTF-8 decoding of the body; Stripe only ever sends valid UTF-8, and a lenient decode
  // would map different invalid bytes to the same text, so anything else is an altered body.
  try {
    strictUtf8.decode(rawBody);
  } catch {
    throw new TenderError('unauthorized', 'Stripe-Signature does not match the body (the body is not the UTF-8 Stripe signed).');
  }
  let stale = false;
  for (const secret of secrets) {
    try {
      Stripe.webhooks.signature!.verifyHeader(rawBody, header, secret, toleranceSeconds);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      // The SDK checks the signature before the age, so this message means the signature itself matched.
      if (/tolerance/i.test(error.message)) stale = true;
      continue;
    }
    assertNotAhead(header, toleranceSeconds);
    return;
  }
  if (stale) {
    throw new TenderError(
      'unauthorized',
      `Stripe-Signature timestamp is older than the ${toleranceSeconds}s tolerance (a replay, or a clock out of sync).`,
    );
  }
  throw new TenderError(
    'unauthorized',
    "Stripe-Signature does not match the body: check webhookSecret is this endpoint's signing secret and that the raw body reaches Tender unchanged.",
  );
}
