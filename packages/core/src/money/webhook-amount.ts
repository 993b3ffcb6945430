import { TenderError } from '../errors.js';
import { JsonNumber } from '../json/exact-json.js';
import { type PaymentAction, PaymentActions } from '../statuses.js';
import { currencyExponent } from './currencies.js';
import { formatDecimal, parseDecimal } from './decimal.js';

/** Actions whose amount is money that moved (or is held): zero of it proves nothing. */
const MONEY_ACTIONS: ReadonlySet<PaymentAction> = new Set([
  PaymentActions.AUTHORIZED,
  PaymentActions.CAPTURED,
  PaymentActions.REFUNDED,
]);

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

export interface WebhookAmountOptions {
  /** The action the amount belongs to: authorized, captured and refunded need more than zero. */
  action?: PaymentAction;
  /** Names the field in the error, e.g. "data.amount". */
  label?: string;
}

function asText(value: unknown, label: string): string {
  if (value instanceof JsonNumber) return value.source;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return String(value);
  if (value === undefined || value === null) {
    throw new TenderError('invalid_data', `Webhook ${label} is missing: it must be a decimal string such as "10.50".`);
  }
  throw new TenderError('invalid_data', `Webhook ${label} must be a decimal string such as "10.50", got ${typeof value}.`);
}

/**
 * The amount a verified webhook reports, checked before anything trusts it: plain digits with an optional
 * decimal point (no sign, exponent, spaces or separators), no more significant decimals than the currency
 * has, and above zero unless the action moves no money (a failed or canceled payment may report 0).
 * Returns it in major units, printed with the currency's decimals when the currency is known
 * ("10.5" EUR → "10.50"), so every provider reports amounts the same way.
 */
export function webhookAmount(value: unknown, currencyCode?: string, options: WebhookAmountOptions = {}): string {
  const label = options.label ?? 'amount';
  const text = asText(value, label);
  if (!PLAIN_DECIMAL.test(text)) {
    const negative = /^\s*-/.test(text);
    throw new TenderError(
      'invalid_data',
      negative
        ? `Webhook ${label} must be greater than zero, got ${JSON.stringify(text.slice(0, 40))}.`
        : `Webhook ${label} ${JSON.stringify(text.slice(0, 40))} is not a decimal number such as "10.50".`,
    );
  }
  const decimal = parseDecimal(text, `Webhook ${label}`);
  const moved = options.action === undefined || MONEY_ACTIONS.has(options.action);
  if (decimal.coefficient === 0n && moved) {
    throw new TenderError('invalid_data', `Webhook ${label} must be greater than zero, got "${text}".`);
  }
  if (currencyCode === undefined) return formatDecimal(decimal);
  const exponent = currencyExponent(currencyCode);
  const canonical = formatDecimal(decimal);
  const decimals = canonical.includes('.') ? canonical.length - canonical.indexOf('.') - 1 : 0;
  if (decimals > exponent) {
    throw new TenderError(
      'invalid_data',
      `Webhook ${label} "${text}" has more decimals than ${currencyCode.toUpperCase()} has (${exponent}).`,
    );
  }
  return formatDecimal(decimal, exponent);
}
