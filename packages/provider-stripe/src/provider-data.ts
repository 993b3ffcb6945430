import { type ProviderData, TenderError } from '@tender/core';

// What Tender stores of a Stripe object is the object itself (a session's data is its PaymentIntent, an account
// holder's its Customer): these read the ids back out of it, with errors that say which call was missed.

export const asData = (value: object): ProviderData => value as unknown as ProviderData;

/** The PaymentIntent id ("pi_…") of a session's data. */
export function intentIdOf(data: ProviderData | undefined): string {
  const id = data?.id;
  if (typeof id !== 'string' || !id.startsWith('pi_')) {
    throw new TenderError(
      'invalid_data',
      'Payment data has no Stripe PaymentIntent id (data.id "pi_…"): was initiatePayment called?',
    );
  }
  return id;
}

/** The Customer id ("cus_…") of an account holder's data. */
export function customerIdOf(data: ProviderData | undefined): string {
  const id = data?.id;
  if (typeof id !== 'string' || !id.startsWith('cus_')) {
    throw new TenderError('invalid_data', 'Account holder data has no Stripe Customer id (data.id "cus_…").');
  }
  return id;
}
