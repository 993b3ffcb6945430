import { constantTimeEqual, headerValue, type ProviderWebhookPayload, TenderError } from '@tender/core';

/** Query parameter carrying the notification secret when Basic credentials cannot be configured. */
export const EASYPAY_SECRET_QUERY_PARAM = 'secret';

/** Password of `Authorization: Basic …`, or undefined when the header is absent or not Basic. */
function basicPassword(authorization: string | undefined): string | undefined {
  const match = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * Easypay notifications carry no signature, so the only proof on the request itself is the secret the
 * merchant put in the notification URL: the Basic password or the `secret` query parameter.
 * (The provider then also re-reads the payment from Easypay's API, which is what decides the action.)
 */
export function assertNotificationCredentials(payload: ProviderWebhookPayload, secret: string): void {
  const candidates = [basicPassword(headerValue(payload.headers, 'authorization')), payload.query?.[EASYPAY_SECRET_QUERY_PARAM]];
  let matched = false;
  // Compare every candidate so timing does not reveal which one was tried.
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && constantTimeEqual(candidate, secret)) matched = true;
  }
  if (matched) return;
  const present = candidates.some((candidate) => typeof candidate === 'string');
  throw new TenderError(
    'unauthorized',
    present
      ? "Easypay notification credentials do not match the provider's webhookSecret."
      : 'Easypay notification carries no credentials: configure the notification URL at Easypay with the webhookSecret (Basic password or ?secret=).',
  );
}
