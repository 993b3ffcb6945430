import { fromMinorUnits, PaymentActions, TenderError, toMinorUnits, webhookAmount } from '@tender/core';

/** Ifthenpay only takes euros. */
export const IFTHENPAY_CURRENCY = 'EUR';

/** Major units with exactly two decimals ("10.5" → "10.50"), as Ifthenpay expects; more decimals are refused. */
export function toIfthenpayAmount(amount: string): string {
  return fromMinorUnits(toMinorUnits(amount, IFTHENPAY_CURRENCY, 'exact'), IFTHENPAY_CURRENCY);
}

/** Digits, then at most two decimals after a point or a comma: exactly what the README promises. */
const CALLBACK_AMOUNT = /^(\d+)(?:[.,](\d{1,2}))?$/;

/**
 * Reads a callback amount. Ifthenpay writes a decimal point, older setups a decimal comma ("10,50");
 * either is accepted exactly, with at most two decimals: "57.350" and "57,350" are refused, since the comma
 * form is also how a thousands separator looks, and never thousands separators or both marks ("1.000,50").
 * A paid callback moves money, so zero is refused too (core's `webhookAmount`).
 */
export function parseCallbackAmount(raw: string | undefined): string {
  const match = raw === undefined ? null : CALLBACK_AMOUNT.exec(raw);
  if (!match) {
    throw new TenderError(
      'invalid_data',
      `Ifthenpay callback amount ${JSON.stringify(raw?.slice(0, 40))} is not a decimal with at most two decimals, such as "10.50" or "10,50".`,
    );
  }
  const [, whole, fraction] = match;
  const amount = fraction === undefined ? whole : `${whole}.${fraction}`;
  return webhookAmount(amount, IFTHENPAY_CURRENCY, { action: PaymentActions.CAPTURED, label: 'Ifthenpay callback amount' });
}
