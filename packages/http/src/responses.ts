import type { WebhookReceipt } from '@tender/core';

/** What every adapter writes back: status, headers and a JSON text body. */
export interface WebhookHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  // A webhook answer is about one delivery; no cache in between should replay it.
  'cache-control': 'no-store',
};

export function jsonResponse(status: number, payload: unknown, headers: Record<string, string> = {}): WebhookHttpResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(payload) };
}

export function receiptResponse(receipt: WebhookReceipt): WebhookHttpResponse {
  return jsonResponse(200, { received: true, outcome: receipt.outcome, event_id: receipt.event_id });
}

export function errorResponse(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): WebhookHttpResponse {
  return jsonResponse(status, { error: { type, message } }, headers);
}
