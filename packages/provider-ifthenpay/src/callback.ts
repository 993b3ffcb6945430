import { constantTimeEqual, PaymentActions, TenderError, type WebhookActionAndData } from '@tender/core';
import { IFTHENPAY_CURRENCY, parseCallbackAmount } from './amount.js';

/** Legacy (Portuguese) callback parameter → current name. */
export const LEGACY_CALLBACK_PARAMS: Readonly<Record<string, string>> = {
  chave: 'key',
  entidade: 'entity',
  referencia: 'reference',
  valor: 'amount',
  idpedido: 'requestId',
  datahorapag: 'payment_datetime',
  estado: 'status',
};

/** A callback's parameters under their current names, whichever form Ifthenpay sent. */
export interface IfthenpayCallback {
  key?: string;
  orderId?: string;
  amount?: string;
  requestId?: string;
  entity?: string;
  reference?: string;
  payment_datetime?: string;
  status?: string;
}

/** Reads current and legacy parameters; a current name wins when both are present. */
export function readCallbackParams(query: Record<string, string>): IfthenpayCallback {
  const params: Record<string, string> = {};
  for (const [legacy, current] of Object.entries(LEGACY_CALLBACK_PARAMS)) {
    if (typeof query[legacy] === 'string') params[current] = query[legacy];
  }
  for (const name of ['key', 'orderId', 'amount', 'requestId', 'entity', 'reference', 'payment_datetime', 'status']) {
    if (typeof query[name] === 'string') params[name] = query[name];
  }
  // Legacy MB WAY callbacks name the order by "referencia" and carry no entity.
  if (params.entity === undefined && typeof query.referencia === 'string') {
    params.orderId ??= query.referencia;
    if (query.reference === undefined) delete params.reference;
  }
  return params;
}

/** The anti-phishing key is the only credential a callback carries; compare it in constant time. */
export function assertAntiPhishingKey(callback: IfthenpayCallback, antiPhishingKey: string): void {
  if (!callback.key) {
    throw new TenderError(
      'unauthorized',
      'Ifthenpay callback has no anti-phishing key: the callback URL at Ifthenpay must include key=[ANTI_PHISHING_KEY].',
    );
  }
  if (!constantTimeEqual(callback.key, antiPhishingKey)) {
    throw new TenderError('unauthorized', "Ifthenpay callback anti-phishing key does not match the provider's antiPhishingKey.");
  }
}

/** Legacy MB WAY callbacks report a state; anything but paid is not a payment. */
const PAID_STATES = new Set(['PAGO', 'PAID', '000']);

/**
 * Turns a key-verified callback into a `captured` action. Ifthenpay calls back only for payments
 * received. The amount is the callback's: the payment module compares it with the session's
 * (the provider declares verifiesSessionAmount) and rejects a mismatch.
 */
export function callbackToAction(callback: IfthenpayCallback): WebhookActionAndData {
  const method = callback.entity !== undefined || callback.reference !== undefined ? 'multibanco' : 'mbway';
  if (!callback.orderId) {
    throw new TenderError(
      'invalid_data',
      'Ifthenpay callback has no orderId: add orderId=[ORDER_ID] to the callback URL at Ifthenpay so Tender can find the payment session.',
    );
  }
  if (method === 'multibanco' && (!callback.entity || !callback.reference)) {
    throw new TenderError('invalid_data', 'Ifthenpay Multibanco callback needs both entity and reference.');
  }
  const eventKey = callback.requestId ?? (method === 'multibanco' ? `${callback.entity}:${callback.reference}` : undefined);
  if (!eventKey) throw new TenderError('invalid_data', 'Ifthenpay MB WAY callback needs requestId (legacy: idpedido).');
  // One payment of one request is one event, however often Ifthenpay repeats the callback.
  const event_id = `${method}:paid:${eventKey}`;
  if (callback.status !== undefined && !PAID_STATES.has(callback.status.toUpperCase())) {
    return {
      action: PaymentActions.NOT_SUPPORTED,
      event_id: `${method}:${callback.status}:${eventKey}`,
      event_type: `${method}.${callback.status}`,
    };
  }
  // Only a paid callback's amount means anything: it is checked here, before anything trusts it.
  const amount = parseCallbackAmount(callback.amount);
  return {
    action: PaymentActions.CAPTURED,
    event_id,
    event_type: `${method}.paid`,
    data: { session_id: callback.orderId, amount, currency_code: IFTHENPAY_CURRENCY.toLowerCase() },
  };
}
