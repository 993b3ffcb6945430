import { type PaymentAction, TenderError, type WebhookActionAndData } from '@tender/core';
import { readWebhookAmount } from './amounts.js';
import { textAt } from './exact-json.js';
import type { HmacProviderOptions } from './options.js';

export interface PaymentFieldPaths {
  sessionIdField: string;
  amountField: string;
  currencyField: string;
}

/** The `{ action, data }` part of an event that moves money, read through the configured field paths. */
export function readPaymentData(
  body: Record<string, unknown>,
  action: PaymentAction,
  fields: PaymentFieldPaths,
  options: HmacProviderOptions,
): Pick<WebhookActionAndData, 'action' | 'data'> {
  const sessionId = textAt(body, fields.sessionIdField);
  if (!sessionId) {
    throw new TenderError(
      'invalid_data',
      `Webhook has no session id at "${fields.sessionIdField}": send the Tender session id as the payment reference, or set sessionIdField.`,
    );
  }
  const currency = textAt(body, fields.currencyField) ?? options.defaultCurrency;
  const amount = readWebhookAmount(body, fields.amountField, currency, options.amountUnit, action);
  return { action, data: { session_id: sessionId, amount, currency_code: currency?.toLowerCase() } };
}
