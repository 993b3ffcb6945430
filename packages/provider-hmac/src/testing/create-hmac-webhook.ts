import { randomUUID } from 'node:crypto';
import { hmacSha256, signStandardWebhook, TenderError, toMinorUnits } from '@tender/core';
import { HmacPaymentProvider } from '../hmac-provider.js';
import type { HmacProviderOptions, HmacProviderOptionsInput } from '../options.js';

/** One gateway event. `type` is read in events mode, `status` in order-payment mode. */
export interface HmacWebhookEvent {
  /** Event id (events mode) or order payment id (order-payment mode); generated when absent. */
  id?: string;
  /** e.g. "payment.completed". */
  type?: string;
  /** e.g. "PAID". */
  status?: string;
  session_id?: string;
  /** Major units, decimal string ("10.50"); written as minor units when the options say amountUnit "minor". */
  amount?: string;
  currency?: string;
}

export interface CreateHmacWebhookInput {
  /** The secret to sign with (a `whsec_` secret for Standard Webhooks). */
  secret: string;
  event: HmacWebhookEvent;
  /** Overrides options.mode. */
  mode?: HmacProviderOptions['mode'];
  /**
   * The provider's options (its secrets are not needed): the webhook then uses the same scheme, headers,
   * timestamp and field paths the provider expects. Defaults apply when absent.
   */
  options?: Partial<HmacProviderOptionsInput>;
  /** Unix seconds for the timestamp header / webhook-timestamp; defaults to now. */
  timestamp?: number;
  /** Sign these exact bytes instead of a body built from `event` (malformed-body tests, custom shapes). */
  rawBody?: Buffer | string;
}

export interface HmacWebhookRequest {
  method: 'POST';
  headers: Record<string, string>;
  rawBody: Buffer;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const segments = path.split('.');
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    if (current[segment] === null || typeof current[segment] !== 'object') current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  current[segments[segments.length - 1]] = value;
}

function resolveOptions(input: CreateHmacWebhookInput): HmacProviderOptions {
  const placeholder =
    input.options?.scheme === 'standard-webhooks' ? 'whsec_cGxhY2Vob2xkZXItc2VjcmV0' : 'placeholder-secret-0000';
  // Validated like the provider's own options, so a typo fails here with the same message.
  return HmacPaymentProvider.validateOptions({
    ...input.options,
    secrets: [placeholder],
    ...(input.mode ? { mode: input.mode } : {}),
  }) as HmacProviderOptions;
}

function buildBody(event: HmacWebhookEvent & { id: string }, options: HmacProviderOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fields = options.mode === 'order-payment' ? options.orderPayment : options.events;
  const currency = event.currency ?? options.defaultCurrency;
  let amount: string | number | undefined = event.amount;
  if (amount !== undefined && options.amountUnit === 'minor') {
    if (!currency)
      throw new TenderError('invalid_data', 'createHmacWebhook: minor units need event.currency or options.defaultCurrency.');
    amount = toMinorUnits(amount, currency, 'exact');
  }
  if (options.mode === 'order-payment') {
    setAt(body, options.orderPayment.idField, event.id);
    setAt(body, options.orderPayment.statusField, event.status ?? 'PAID');
  } else {
    setAt(body, options.events.eventIdField, event.id);
    setAt(body, options.events.typeField, event.type ?? 'payment.completed');
  }
  setAt(body, fields.sessionIdField, event.session_id);
  setAt(body, fields.amountField, amount);
  setAt(body, fields.currencyField, event.currency);
  return body;
}

/**
 * A webhook exactly as an HMAC gateway configured like `options` would POST it, signed with `secret`.
 * Used by tests, the CLI's simulate command and demos.
 */
export function createHmacWebhook(input: CreateHmacWebhookInput): HmacWebhookRequest {
  const options = resolveOptions(input);
  const event = { ...input.event, id: input.event.id ?? `evt_${randomUUID()}` };
  const rawBody =
    input.rawBody === undefined
      ? Buffer.from(JSON.stringify(buildBody(event, options)))
      : Buffer.isBuffer(input.rawBody)
        ? input.rawBody
        : Buffer.from(input.rawBody);
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.scheme === 'standard-webhooks') {
    Object.assign(headers, signStandardWebhook(input.secret, event.id, rawBody, timestamp));
  } else {
    let signed = rawBody;
    if (options.timestamp) {
      headers[options.timestamp.header] = String(timestamp);
      if (options.timestamp.signed) signed = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
    }
    headers[options.signatureHeader] = hmacSha256(input.secret, signed, options.signatureEncoding);
  }
  return { method: 'POST', headers, rawBody };
}
