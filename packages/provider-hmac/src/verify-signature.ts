import {
  headerValue,
  type ProviderWebhookPayload,
  TenderError,
  timestampOutsideTolerance,
  verifyHmacSha256,
  verifyStandardWebhook,
} from '@tender/core';
import type { HmacProviderOptions } from './options.js';

/** What authentication established about the delivery. */
export interface VerifiedDelivery {
  /** Standard Webhooks' `webhook-id`: signed, and stable across the gateway's retries. */
  webhookId?: string;
}

/** Some gateways prefix the digest with its algorithm, GitHub-style. */
function stripAlgorithmPrefix(signature: string): string {
  return signature.replace(/^sha256=/i, '');
}

function verifyXSignature(payload: ProviderWebhookPayload, options: HmacProviderOptions, now: () => number): void {
  const header = headerValue(payload.headers, options.signatureHeader);
  if (!header) throw new TenderError('unauthorized', `Missing ${options.signatureHeader} header.`);
  let signed = payload.rawData;
  if (options.timestamp) {
    const { header: name, toleranceSeconds } = options.timestamp;
    const timestamp = headerValue(payload.headers, name);
    if (!timestamp) throw new TenderError('unauthorized', `Missing ${name} header.`);
    if (!/^\d+$/.test(timestamp)) throw new TenderError('unauthorized', `${name} must be a unix timestamp in seconds.`);
    if (timestampOutsideTolerance(Number(timestamp), toleranceSeconds, now())) {
      throw new TenderError(
        'unauthorized',
        `${name} is more than ${toleranceSeconds}s away from now: a replayed delivery, or the clocks disagree.`,
      );
    }
    if (options.timestamp.signed) signed = Buffer.concat([Buffer.from(`${timestamp}.`), payload.rawData]);
  }
  const signature = stripAlgorithmPrefix(header.trim());
  if (!verifyHmacSha256(options.secrets, signed, signature, options.signatureEncoding)) {
    throw new TenderError(
      'unauthorized',
      `${options.signatureHeader} does not match the body under any configured secret: check the secrets option.`,
    );
  }
}

/** Verifies the delivery on its exact bytes; throws TenderError('unauthorized') when it is not authentic. */
export function verifyDelivery(
  payload: ProviderWebhookPayload,
  options: HmacProviderOptions,
  now: () => number = Date.now,
): VerifiedDelivery {
  if (options.scheme === 'x-signature') {
    verifyXSignature(payload, options, now);
    return {};
  }
  const { id } = verifyStandardWebhook(
    {
      id: headerValue(payload.headers, 'webhook-id'),
      timestamp: headerValue(payload.headers, 'webhook-timestamp'),
      signature: headerValue(payload.headers, 'webhook-signature'),
    },
    payload.rawData,
    options.secrets,
    now,
  );
  return { webhookId: id };
}
