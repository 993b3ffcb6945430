import { currencyExponent, formatDecimal, fromMinorUnits, parseDecimal, TenderError, toMinorUnits } from '@tender/core';

/**
 * Currencies whose exponent in Stripe's API differs from ISO 4217 (Stripe's "special cases"): Stripe takes
 * ISK in hundredths for backwards compatibility, and treats MGA as zero-decimal. Everything else follows
 * @tender/core's ISO table.
 */
const STRIPE_EXPONENT_OVERRIDES: Readonly<Record<string, number>> = { ISK: 2, MGA: 0 };

export function stripeCurrencyExponent(currency: string): number {
  return STRIPE_EXPONENT_OVERRIDES[currency.toUpperCase()] ?? currencyExponent(currency);
}

/**
 * "10.50" EUR → 1050, "500" JPY → 500, "1.234" KWD → 1234. An amount with more decimals than the currency
 * has is refused, never rounded: Stripe must charge exactly what Tender recorded.
 */
export function toStripeAmount(amount: string, currency: string): number {
  const override = STRIPE_EXPONENT_OVERRIDES[currency.toUpperCase()];
  if (override === undefined) return toMinorUnits(amount, currency, 'exact');
  const value = parseDecimal(amount);
  const shift = 10n ** BigInt(Math.abs(override - value.scale));
  if (value.scale > override && value.coefficient % shift !== 0n) {
    throw new TenderError('invalid_data', `${amount} ${currency.toUpperCase()} has more than ${override} decimal places.`);
  }
  const minor = value.scale > override ? value.coefficient / shift : value.coefficient * shift;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TenderError('invalid_data', `${amount} ${currency.toUpperCase()} is too large to express in minor units.`);
  }
  return Number(minor);
}

/** Stripe's integer amount back to a major-unit decimal string ("1050" EUR → "10.50"). */
export function fromStripeAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new TenderError('invalid_data', `Stripe amount ${String(minor)} ${currency} is not a non-negative integer.`);
  }
  const override = STRIPE_EXPONENT_OVERRIDES[currency.toUpperCase()];
  if (override === undefined) return fromMinorUnits(minor, currency);
  return formatDecimal({ coefficient: BigInt(minor), scale: override }, override);
}
