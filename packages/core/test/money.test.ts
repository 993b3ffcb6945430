import { describe, expect, it } from '@jest/globals';
import {
  addAmounts,
  assertPositiveAmount,
  compareAmounts,
  currencyExponent,
  fromMinorUnits,
  normalizeAmount,
  subtractAmounts,
  TenderError,
  toMinorUnits,
} from '../src/index.js';

describe('currency exponents (ISO 4217 table, not Intl)', () => {
  it('knows two-, zero- and three-decimal currencies', () => {
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('kwd')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
  });

  it('rejects an unknown code instead of guessing 2', () => {
    expect(() => currencyExponent('XYZ')).toThrow(/Unknown currency code "XYZ"/);
  });
});

describe('toMinorUnits', () => {
  it('converts exact amounts', () => {
    expect(toMinorUnits('10.50', 'usd')).toBe(1050);
    expect(toMinorUnits('0.01', 'usd')).toBe(1);
    expect(toMinorUnits('500', 'jpy')).toBe(500);
    expect(toMinorUnits('1.234', 'kwd')).toBe(1234);
    expect(toMinorUnits('0.001', 'bhd')).toBe(1);
    expect(toMinorUnits(12, 'usd')).toBe(1200);
  });

  it('rounds 2.675 USD half-up to 268 cents (a float would give 267)', () => {
    // 2.675 is 2.67499999999999982236431605997495353221893310546875 as a double.
    expect((2.675).toFixed(2)).toBe('2.67');
    expect(toMinorUnits('2.675', 'usd')).toBe(268);
    expect(toMinorUnits('2.675', 'usd', 'half_up')).toBe(268);
  });

  it('rounds ties to even with half_even', () => {
    expect(toMinorUnits('2.665', 'usd', 'half_even')).toBe(266);
    expect(toMinorUnits('2.675', 'usd', 'half_even')).toBe(268);
    expect(toMinorUnits('2.665', 'usd', 'half_up')).toBe(267);
    expect(toMinorUnits('-2.665', 'usd', 'half_up')).toBe(-267);
  });

  it('handles sub-unit amounts', () => {
    expect(toMinorUnits('0.004', 'usd')).toBe(0);
    expect(toMinorUnits('0.005', 'usd')).toBe(1);
    expect(toMinorUnits('0.005', 'usd', 'half_even')).toBe(0);
    expect(toMinorUnits('0.5', 'jpy')).toBe(1);
    expect(toMinorUnits('0.0005', 'kwd')).toBe(1);
    expect(toMinorUnits('0.0005', 'kwd', 'half_even')).toBe(0);
  });

  it('refuses to round in exact mode', () => {
    expect(() => toMinorUnits('2.675', 'usd', 'exact')).toThrow(/more than 2 decimal places/);
    expect(() => toMinorUnits('1.5', 'jpy', 'exact')).toThrow(TenderError);
    expect(toMinorUnits('2.670', 'usd', 'exact')).toBe(267);
  });

  it('rejects floats and garbage', () => {
    expect(() => toMinorUnits(2.5, 'usd')).toThrow(/decimal strings/);
    expect(() => toMinorUnits('1e3', 'usd')).toThrow(/not a decimal number/);
    expect(() => toMinorUnits('abc', 'usd')).toThrow(TenderError);
  });
});

describe('fromMinorUnits', () => {
  it('prints the currency decimals', () => {
    expect(fromMinorUnits(1050, 'usd')).toBe('10.50');
    expect(fromMinorUnits(1, 'usd')).toBe('0.01');
    expect(fromMinorUnits(500, 'jpy')).toBe('500');
    expect(fromMinorUnits(1234, 'kwd')).toBe('1.234');
    expect(fromMinorUnits(5, 'bhd')).toBe('0.005');
    expect(fromMinorUnits('999999999999999999', 'usd')).toBe('9999999999999999.99');
  });

  it('round-trips', () => {
    for (const [amount, currency] of [
      ['19.99', 'eur'],
      ['1000', 'krw'],
      ['0.100', 'omr'],
    ] as const) {
      expect(fromMinorUnits(toMinorUnits(amount, currency), currency)).toBe(amount);
    }
  });
});

describe('decimal arithmetic', () => {
  it('adds and subtracts exactly', () => {
    expect(addAmounts('0.1', '0.2')).toBe('0.3');
    expect(addAmounts('10', '0.05', '0.005')).toBe('10.055');
    expect(subtractAmounts('100', '33.33')).toBe('66.67');
    expect(subtractAmounts('1', '1.000')).toBe('0');
  });

  it('compares across scales', () => {
    expect(compareAmounts('10.50', '10.5')).toBe(0);
    expect(compareAmounts('9.999', '10')).toBe(-1);
    expect(compareAmounts('-1', '0')).toBe(-1);
    expect(normalizeAmount('010.500')).toBe('10.5');
  });

  it('validates amounts to move', () => {
    expect(assertPositiveAmount('5.00')).toBe('5');
    expect(() => assertPositiveAmount('-5')).toThrow(/greater than zero/);
    expect(() => assertPositiveAmount('0')).toThrow(/greater than zero/);
    expect(assertPositiveAmount('0', 'amount', { allowZero: true })).toBe('0');
    expect(() => assertPositiveAmount('ten')).toThrow(/not a decimal number/);
    expect(() => assertPositiveAmount(undefined)).toThrow(/is required/);
  });
});
