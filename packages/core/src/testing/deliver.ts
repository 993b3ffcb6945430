/** A webhook request as a gateway would send it, built by a provider's testing helpers. */
export interface WebhookDelivery {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  rawBody: Buffer;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Sends a delivery built by the testing helpers to a webhook route, e.g.
 * `http://127.0.0.1:3000/hooks/payment/easypay_mb`. Its query is added to the URL. Loopback only: these
 * helpers are for tests and demos, never for calling out.
 */
export async function deliverWebhook(routeUrl: string, delivery: WebhookDelivery): Promise<Response> {
  const url = new URL(routeUrl);
  if (!LOOPBACK.has(url.hostname)) {
    throw new Error(`deliverWebhook only sends to 127.0.0.1 / localhost, not ${url.hostname}.`);
  }
  for (const [name, value] of Object.entries(delivery.query)) url.searchParams.set(name, value);
  const hasBody = delivery.method !== 'GET' && delivery.method !== 'HEAD';
  return fetch(url, {
    method: delivery.method,
    headers: delivery.headers,
    body: hasBody ? new Uint8Array(delivery.rawBody) : undefined,
  });
}
