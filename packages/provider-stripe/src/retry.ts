import Stripe from 'stripe';

export interface RetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
}

/**
 * Only failures that say nothing about the request's outcome, or that ask us to slow down, are retried:
 * connection errors and 429s. Every retried call carries the same idempotency key, so a request that did
 * reach Stripe before the connection dropped is answered from Stripe's idempotency cache, not repeated.
 */
export function isRetryableStripeError(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError;
}

function backoff(attempt: number, baseMs: number): number {
  const exponential = baseMs * 2 ** attempt;
  // Jitter between half and the full delay spreads retries of many workers hitting one rate limit.
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

export async function withStripeRetries<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRetryableStripeError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt, policy.retryDelayMs)));
    }
  }
}
