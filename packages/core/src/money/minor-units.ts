import { TenderError } from '../errors.js';
import { currencyExponent } from './currencies.js';
import { type AmountInput, formatDecimal, parseDecimal } from './decimal.js';

/**
 * How a major-unit amount with more decimals than the currency has is brought to a whole minor unit.
 * - half_up (default): ties away from zero, as a shop prints prices (2.675 USD → 268 cents);
 * - half_even: ties to the even neighbour, banker's rounding (2.665 USD → 266 cents);
 * - exact: refuse any amount that does not fit the currency (a provider must never be asked to round).
 */
export type Rounding = 'half_up' | 'half_even' | 'exact';

function divideRounded(value: bigint, divisor: bigint, rounding: Rounding): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && (rounding === 'half_up' || quotient % 2n === 1n))) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** "10.50" USD → 1050; "500" JPY → 500; "1.234" KWD → 1234. */
export function toMinorUnits(amount: AmountInput, currencyCode: string, rounding: Rounding = 'half_up'): number {
  const exponent = currencyExponent(currencyCode);
  const value = parseDecimal(amount);
  let minor: bigint;
  if (value.scale <= exponent) {
    minor = value.coefficient * 10n ** BigInt(exponent - value.scale);
  } else {
    const divisor = 10n ** BigInt(value.scale - exponent);
    if (rounding === 'exact' && value.coefficient % divisor !== 0n) {
      throw new TenderError(
        'invalid_data',
        `${formatDecimal(value)} ${currencyCode.toUpperCase()} has more than ${exponent} decimal places.`,
      );
    }
    minor = divideRounded(value.coefficient, divisor, rounding);
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new TenderError('invalid_data', `${formatDecimal(value)} ${currencyCode} is too large to express in minor units.`);
  }
  return Number(minor);
}

/** 1050 USD → "10.50"; 500 JPY → "500"; 1234 KWD → "1.234". Always prints the currency's decimals. */
export function fromMinorUnits(minor: number | bigint | string, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new TenderError('invalid_data', `Minor-unit amount ${minor} must be an integer.`);
  }
  const value = parseDecimal(typeof minor === 'number' ? minor : minor.toString(), 'minor-unit amount');
  if (value.scale !== 0) {
    throw new TenderError('invalid_data', `Minor-unit amount ${String(minor)} must be an integer.`);
  }
  return formatDecimal({ coefficient: value.coefficient, scale: exponent }, exponent);
}
