import { fromMinorUnits, JsonNumber, type PaymentAction, TenderError, toMinorUnits, webhookAmount } from '@tender/core';
import { valueAt } from './exact-json.js';
import type { HmacProviderOptions } from './options.js';

/**
 * Reads the amount at `path` as a major-unit decimal string. Gateways send it as a string or a JSON number;
 * both arrive here as text (see JsonNumber), so no float is ever involved. What it may be (positive for money
 * that moved, no more decimals than the currency) is core's `webhookAmount`, the same for every provider.
 */
export function readWebhookAmount(
  body: Record<string, unknown>,
  path: string,
  currency: string | undefined,
  unit: HmacProviderOptions['amountUnit'],
  action: PaymentAction,
): string {
  const value = valueAt(body, path);
  const text = value instanceof JsonNumber ? value.source : value;
  if (typeof text !== 'string' || text.length === 0) {
    throw new TenderError(
      'invalid_data',
      `Webhook has no amount at "${path}": set the amountField option to where your gateway puts it.`,
    );
  }
  const checked = { action, label: `"${path}"` };
  if (unit === 'major') return webhookAmount(text, currency, checked);
  if (!/^\d+$/.test(text)) {
    throw new TenderError(
      'invalid_data',
      `"${path}" must be an integer number of minor units (amountUnit is "minor"), got "${text}".`,
    );
  }
  if (!currency) {
    throw new TenderError(
      'invalid_data',
      'Webhook has no currency, which minor units need: set currencyField, or defaultCurrency in the provider options.',
    );
  }
  return webhookAmount(fromMinorUnits(text, currency), currency, checked);
}

/** The amount as the gateway's API expects it: a decimal string, or an integer of minor units. */
export function toGatewayAmount(amount: string, currency: string, unit: HmacProviderOptions['amountUnit']): string | number {
  return unit === 'major' ? amount : toMinorUnits(amount, currency, 'exact');
}
