import { fromMinorUnits, TenderError, toMinorUnits } from '@tender/core';

/** Major-unit amount with exactly the currency's decimals ("10.5" EUR → "10.50"); more decimals are refused. */
export function toGatewayAmount(amount: string, currencyCode: string): string {
  return fromMinorUnits(toMinorUnits(amount, currencyCode, 'exact'), currencyCode);
}

/** Reads a money field of an Easypay response (parsed by parseExactJson(…, 'text')) as a decimal string. */
export function readAmount(value: unknown, currencyCode: string, label: string): string {
  // parseExactJson(…, 'text') turned numbers into their source text, so a real amount is a string here.
  if (typeof value !== 'string') throw new TenderError('provider_error', `Easypay returned no ${label}.`);
  return toGatewayAmount(value, currencyCode);
}
