import { TenderError, type TenderErrorType } from '@tender/core';
import Stripe from 'stripe';

export function stripeErrorCode(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? error.code : undefined;
}

/** The PaymentIntent Stripe attaches to an error about it, when it does. */
export function paymentIntentOfError(error: unknown): Stripe.PaymentIntent | undefined {
  if (!(error instanceof Stripe.errors.StripeError)) return undefined;
  const intent = error.payment_intent as Stripe.PaymentIntent | undefined;
  return intent && typeof intent === 'object' && intent.object === 'payment_intent' ? intent : undefined;
}

function tenderType(error: InstanceType<typeof Stripe.errors.StripeError>): TenderErrorType {
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError) {
    return 'unavailable';
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) return 'conflict';
  if (error.code === 'resource_missing') return 'not_found';
  if (error.code === 'payment_intent_unexpected_state') return 'not_allowed';
  if (error instanceof Stripe.errors.StripeInvalidRequestError) return 'invalid_data';
  return 'provider_error';
}

function hint(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  if (error instanceof Stripe.errors.StripeAuthenticationError) return " Check the provider's apiKey option.";
  if (error instanceof Stripe.errors.StripePermissionError) return ' The restricted key lacks a permission this call needs.';
  if (error instanceof Stripe.errors.StripeConnectionError) return ' Stripe could not be reached; the call can be retried.';
  if (error instanceof Stripe.errors.StripeRateLimitError) return ' Stripe rate-limited the account; retry later.';
  return '';
}

/**
 * Turns an SDK error into a TenderError naming the operation, Stripe's code and request id. Stripe's messages
 * never contain the API key, so they are safe to pass on.
 */
export function toTenderError(error: unknown, operation: string): TenderError {
  if (error instanceof TenderError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new TenderError('provider_error', `Stripe ${operation} failed: ${String((error as Error)?.message ?? error)}`, {
      cause: error,
    });
  }
  const code = error.code ? ` [${error.code}]` : '';
  const request = error.requestId ? ` (request ${error.requestId})` : '';
  return new TenderError(tenderType(error), `Stripe ${operation} failed${code}: ${error.message}${request}.${hint(error)}`, {
    cause: error,
    details: {
      provider: 'stripe',
      stripe_code: error.code,
      stripe_type: error.type,
      decline_code: error.decline_code,
      status: error.statusCode,
      request_id: error.requestId,
    },
  });
}
