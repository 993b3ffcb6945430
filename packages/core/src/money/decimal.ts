import { TenderError } from '../errors.js';

/**
 * Exact decimal arithmetic on strings: a value is a bigint coefficient and a power-of-ten scale.
 * Amounts in Tender are major units as decimal strings ("10.50"); nothing here touches a float.
 */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** What callers may pass as an amount: a decimal string, a bigint, or a safe integer number. */
export type AmountInput = string | number | bigint;

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const MAX_SCALE = 18;

export function parseDecimal(input: AmountInput, label = 'amount'): Decimal {
  if (typeof input === 'bigint') return { coefficient: input, scale: 0 };
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) {
      throw new TenderError(
        'invalid_data',
        `${label} ${String(input)} is not a safe integer: pass non-integer amounts as decimal strings, e.g. "10.50".`,
      );
    }
    return { coefficient: BigInt(input), scale: 0 };
  }
  if (typeof input !== 'string') {
    throw new TenderError('invalid_data', `${label} must be a decimal string such as "10.50", got ${typeof input}.`);
  }
  const match = DECIMAL_PATTERN.exec(input.trim());
  if (!match) {
    throw new TenderError(
      'invalid_data',
      `${label} "${input}" is not a decimal number: use digits with an optional ".", e.g. "10.50".`,
    );
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > MAX_SCALE) {
    throw new TenderError('invalid_data', `${label} "${input}" has more than ${MAX_SCALE} decimal places.`);
  }
  const coefficient = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return { coefficient, scale: fraction.length };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.coefficient * 10n ** BigInt(scale - value.scale);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale), rescale(b, scale), scale];
}

export function formatDecimal(value: Decimal, minScale = 0): string {
  let { coefficient, scale } = value;
  // Drop trailing zeros beyond minScale so "10.500" and "10.5" print the same.
  while (scale > minScale && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale -= 1;
  }
  if (scale < minScale) {
    coefficient *= 10n ** BigInt(minScale - scale);
    scale = minScale;
  }
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Canonical string form of an amount ("010.50" → "10.5"). */
export function normalizeAmount(input: AmountInput, label?: string): string {
  return formatDecimal(parseDecimal(input, label));
}

export function addAmounts(...values: AmountInput[]): string {
  let total: Decimal = { coefficient: 0n, scale: 0 };
  for (const value of values) {
    const [a, b, scale] = align(total, parseDecimal(value));
    total = { coefficient: a + b, scale };
  }
  return formatDecimal(total);
}

export function subtractAmounts(minuend: AmountInput, subtrahend: AmountInput): string {
  const [a, b, scale] = align(parseDecimal(minuend), parseDecimal(subtrahend));
  return formatDecimal({ coefficient: a - b, scale });
}

export function compareAmounts(left: AmountInput, right: AmountInput): -1 | 0 | 1 {
  const [a, b] = align(parseDecimal(left), parseDecimal(right));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isZeroAmount(value: AmountInput): boolean {
  return parseDecimal(value).coefficient === 0n;
}

export function minAmount(a: AmountInput, b: AmountInput): string {
  return compareAmounts(a, b) <= 0 ? normalizeAmount(a) : normalizeAmount(b);
}

/**
 * Validates an amount a caller wants to move: a decimal that is > 0 (or >= 0 with allowZero).
 * Returns its canonical string.
 */
export function assertPositiveAmount(input: unknown, label = 'amount', options: { allowZero?: boolean } = {}): string {
  if (input === undefined || input === null) {
    throw new TenderError('invalid_data', `${label} is required: pass a decimal string such as "10.50".`);
  }
  const value = parseDecimal(input as AmountInput, label);
  if (value.coefficient < 0n || (value.coefficient === 0n && !options.allowZero)) {
    throw new TenderError('invalid_data', `${label} must be greater than zero, got "${formatDecimal(value)}".`);
  }
  return formatDecimal(value);
}
