import { describe, expect, it } from '@jest/globals';
import { JsonNumber, webhookAmount } from '../src/index.js';
import { thrown } from '../src/testing/index.js';

describe('webhookAmount: the amount a verified webhook may report', () => {
  it('prints a valid amount with the currency decimals, or canonically without a currency', () => {
    expect(webhookAmount('10.5', 'eur')).toBe('10.50');
    expect(webhookAmount('010.500', 'EUR')).toBe('10.50');
    expect(webhookAmount('500', 'jpy')).toBe('500');
    expect(webhookAmount('1.234', 'kwd')).toBe('1.234');
    expect(webhookAmount(new JsonNumber('12345678901234567.89'), 'eur')).toBe('12345678901234567.89');
    expect(webhookAmount('25.00')).toBe('25');
    expect(webhookAmount(1050n)).toBe('1050');
  });

  it.each([
    ['negative', '-10.00', /greater than zero/],
    ['zero for a capture', '0.00', /greater than zero/],
    ['an exponent', '1e3', /not a decimal number/],
    ['a plus sign', '+10.00', /not a decimal number/],
    ['spaces', ' 10.00', /not a decimal number/],
    ['a thousands separator', '1,000.00', /not a decimal number/],
    ['a decimal comma', '10,50', /not a decimal number/],
    ['empty', '', /not a decimal number/],
    ['a float', 10.5, /must be a decimal string/],
    ['missing', undefined, /missing/],
    ['more decimals than EUR has', '10.005', /more decimals than EUR/],
  ])('refuses %s as invalid_data', (_label, value, message) => {
    const error = thrown(() => webhookAmount(value, 'eur', { action: 'captured', label: 'data.amount' }));
    expect(error.type).toBe('invalid_data');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/data\.amount/);
  });

  it('allows zero only for actions that move no money', () => {
    for (const action of ['authorized', 'captured', 'refunded'] as const) {
      expect(() => webhookAmount('0', 'usd', { action })).toThrow(/greater than zero/);
    }
    expect(() => webhookAmount('0')).toThrow(/greater than zero/);
    expect(webhookAmount('0', 'usd', { action: 'failed' })).toBe('0.00');
    expect(webhookAmount('0', 'usd', { action: 'canceled' })).toBe('0.00');
    expect(() => webhookAmount('-1', 'usd', { action: 'failed' })).toThrow(/greater than zero/);
  });

  it('refuses an unknown currency instead of guessing its decimals', () => {
    expect(thrown(() => webhookAmount('10.00', 'xyz')).message).toMatch(/Unknown currency code "xyz"/);
  });
});
