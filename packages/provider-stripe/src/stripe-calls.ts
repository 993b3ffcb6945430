import type { ProviderContext } from '@tender/core';
import type Stripe from 'stripe';
import { stripeErrorCode, toTenderError } from './errors.js';
import { type RetryPolicy, withStripeRetries } from './retry.js';

export type StripeCall<T> = (options: Stripe.RequestOptions) => Promise<T>;

/** Where a write's idempotency key comes from: the caller's context first, else a key derived from the operation. */
export interface IdempotencySource {
  context?: ProviderContext;
  fallbackKey?: string;
}

/**
 * How the provider talks to Stripe: every call retried per the policy, every write with an idempotency key
 * (the caller's, stable across the caller's own retries, or one derived from the operation), so a retried
 * write is never applied twice.
 */
export class StripeCalls {
  constructor(private readonly policy: RetryPolicy) {}

  /** The call with retries; SDK errors are thrown as they are, for callers that recognise some. */
  request<T>(call: StripeCall<T>, keys: IdempotencySource = {}): Promise<T> {
    const idempotencyKey = keys.context?.idempotency_key ?? keys.fallbackKey;
    const options: Stripe.RequestOptions = idempotencyKey ? { idempotencyKey } : {};
    return withStripeRetries(() => call(options), this.policy);
  }

  /** The call with retries; failures become a TenderError naming `operation`. */
  async call<T>(operation: string, call: StripeCall<T>, keys: IdempotencySource = {}): Promise<T> {
    try {
      return await this.request(call, keys);
    } catch (error) {
      throw toTenderError(error, operation);
    }
  }

  /** A read whose "no such object" means "not ours" (undefined), not a failure. */
  async lookup<T>(operation: string, call: StripeCall<T>): Promise<T | undefined> {
    try {
      return await this.request(call);
    } catch (error) {
      if (stripeErrorCode(error) === 'resource_missing') return undefined;
      throw toTenderError(error, operation);
    }
  }
}
