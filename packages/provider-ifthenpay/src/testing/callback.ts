import type { WebhookDelivery } from '@tender/core/testing';

// Shared with the Easypay helpers until they move to core's test support (see README).
export { deliverWebhook, type WebhookDelivery } from '@tender/core/testing';

export interface IfthenpayCallbackParams {
  /** The anti-phishing key Ifthenpay puts in `key` (legacy `chave`). Omit to send none. */
  antiPhishingKey?: string;
  orderId?: string;
  /** Decimal string with a point, e.g. "10.50". */
  amount: string;
  requestId?: string;
  /** Multibanco only. */
  entity?: string;
  reference?: string;
  /** "dd-MM-yyyy HH:mm:ss", as Ifthenpay writes it. */
  paymentDatetime?: string;
}

export interface IfthenpayCallbackStyle {
  /** The old Portuguese parameter names (chave, entidade, referencia, valor, idpedido, datahorapag). */
  legacy?: boolean;
  /** Write the amount with a decimal comma ("10,50"), as some older setups do. */
  decimalComma?: boolean;
}

function ifthenpayDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getDate())}-${pad(date.getMonth() + 1)}-${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Builds a callback exactly as Ifthenpay sends it: a GET with query parameters and no body. */
export function buildIfthenpayCallback(params: IfthenpayCallbackParams, style: IfthenpayCallbackStyle = {}): WebhookDelivery {
  const amount = style.decimalComma ? params.amount.replace('.', ',') : params.amount;
  const datetime = params.paymentDatetime ?? ifthenpayDate(new Date());
  const multibanco = params.entity !== undefined || params.reference !== undefined;
  const entries: Array<[string, string | undefined]> = style.legacy
    ? [
        ['chave', params.antiPhishingKey],
        ['entidade', params.entity],
        // Legacy MB WAY callbacks name the order in "referencia".
        ['referencia', multibanco ? params.reference : params.orderId],
        ['valor', amount],
        ['idpedido', params.requestId],
        ['datahorapag', datetime],
        // Legacy Multibanco callbacks have no order id: the merchant adds orderId=[ORDER_ID] to the URL.
        ['orderId', multibanco ? params.orderId : undefined],
        ['estado', multibanco ? undefined : 'PAGO'],
      ]
    : [
        ['key', params.antiPhishingKey],
        ['orderId', params.orderId],
        ['amount', amount],
        ['requestId', params.requestId],
        ['entity', params.entity],
        ['reference', params.reference],
        ['payment_datetime', datetime],
      ];
  const query = Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { method: 'GET', headers: { 'user-agent': 'ifthenpay-callback' }, query, rawBody: Buffer.alloc(0) };
}
