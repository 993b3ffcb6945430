/** A webhook request as a provider's testing helper builds it: the exact bytes and headers to send. */
export interface Delivery {
  method: string;
  headers: Record<string, string>;
  query?: Record<string, string>;
  rawBody?: Buffer;
}

export interface DeliveryResponse {
  status: number;
  /** The parsed JSON answer, or the text when it is not JSON. */
  body: unknown;
}

/** Sends a delivery over HTTP byte for byte, as the provider would. */
export async function sendDelivery(url: string, delivery: Delivery): Promise<DeliveryResponse> {
  const target = new URL(url);
  for (const [key, value] of Object.entries(delivery.query ?? {})) target.searchParams.set(key, value);
  const method = delivery.method.toUpperCase();
  const response = await fetch(target, {
    method,
    headers: delivery.headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : delivery.rawBody,
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** `outcome` of a 2xx answer, or the error type of a refusal. */
export function responseOutcome(response: DeliveryResponse): string {
  const body = response.body as { outcome?: string; error?: { type?: string } } | undefined;
  return body?.outcome ?? body?.error?.type ?? 'unknown';
}
