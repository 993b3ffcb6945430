import { fromMinorUnits, TenderError, toMinorUnits } from '@tender/core';

/** Ifthenpay only takes euros. */
export const IFTHENPAY_CURRENCY = 'EUR';

/** Major units with exactly two decimals ("10.5" → "10.50"), as Ifthenpay expects; more decimals are refused. */
export function toIfthenpayAmount(amount: string): string {
  return fromMinorUnits(toMinorUnits(amount, IFTHENPAY_CURRENCY, 'exact'), IFTHENPAY_CURRENCY);
}

const CALLBACK_AMOUNT = /^(\d+)(?:[.,](\d+))?$/;

/**
 * Reads a callback amount. Ifthenpay writes a decimal point, older setups a decimal comma ("10,50");
 * either is accepted exactly, but never thousands separators or both marks ("1.000,50" is refused).
 */
export function parseCallbackAmount(raw: string | undefined): string {
  const match = raw === undefined ? null : CALLBACK_AMOUNT.exec(raw.trim());
  if (!match) {
    throw new TenderError(
      'invalid_data',
      `Ifthenpay callback amount ${JSON.stringify(raw)} is not a decimal such as "10.50" or "10,50".`,
    );
  }
  const [, whole, fraction] = match;
  return toIfthenpayAmount(fraction === undefined ? whole : `${whole}.${fraction}`);
}
