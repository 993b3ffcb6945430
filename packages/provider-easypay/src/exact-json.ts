import { fromMinorUnits, TenderError, toMinorUnits } from '@tender/core';

/**
 * Easypay sends and expects money as JSON numbers (`"value": 17.5`). Going through a JS number would
 * make it a float, so numbers are read as their source text and written from decimal strings verbatim
 * (JSON.parse source access and JSON.rawJSON, both in Node >= 21).
 */
const json = JSON as unknown as {
  rawJSON(text: string): unknown;
  parse(text: string, reviver: (key: string, value: unknown, context: { source?: string }) => unknown): unknown;
};

/** Parses JSON keeping every number as its exact source text ("17.50" stays "17.50"). */
export function parseJsonKeepingNumbers(text: string): unknown {
  return json.parse(text, (_key, value, context) => (typeof value === 'number' && context?.source ? context.source : value));
}

/** A JSON number literal written from a decimal string, for JSON.stringify. */
export function jsonNumber(decimal: string): unknown {
  return json.rawJSON(decimal);
}

/** Major-unit amount with exactly the currency's decimals ("10.5" EUR → "10.50"); more decimals are refused. */
export function toGatewayAmount(amount: string, currencyCode: string): string {
  return fromMinorUnits(toMinorUnits(amount, currencyCode, 'exact'), currencyCode);
}

/** Reads a money field of an Easypay response (parsed by parseJsonKeepingNumbers) as a decimal string. */
export function readAmount(value: unknown, currencyCode: string, label: string): string {
  // parseJsonKeepingNumbers turned numbers into their source text, so a real amount is a string here.
  if (typeof value !== 'string') throw new TenderError('provider_error', `Easypay returned no ${label}.`);
  return toGatewayAmount(value, currencyCode);
}
