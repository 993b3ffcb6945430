import { TenderError } from '../errors.js';
import { constantTimeEqual, hmacSha256 } from './hmac.js';
import { describeTimestampProblem, timestampOutsideTolerance } from './timestamp-window.js';

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64 hmac of "id.timestamp.body">`, secrets written `whsec_<base64>`.
 */
const TOLERANCE_SECONDS = 5 * 60;

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

function signedContent(id: string, timestamp: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
}

export function signStandardWebhook(
  secret: string,
  id: string,
  body: Buffer | string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const signature = hmacSha256(secretKey(secret), signedContent(id, String(timestamp), raw), 'base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

export function verifyStandardWebhook(
  headers: { id?: string; timestamp?: string; signature?: string },
  body: Buffer,
  secrets: readonly string[],
  now: () => number = Date.now,
): { id: string } {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) {
    throw new TenderError('unauthorized', 'Missing webhook-id, webhook-timestamp or webhook-signature header.');
  }
  if (!/^\d+$/.test(timestamp)) throw new TenderError('unauthorized', 'webhook-timestamp is not a unix timestamp.');
  const problem = timestampOutsideTolerance(Number(timestamp), TOLERANCE_SECONDS, now());
  if (problem) {
    throw new TenderError('unauthorized', `webhook-timestamp is ${describeTimestampProblem(problem, TOLERANCE_SECONDS)}.`);
  }
  const candidates = signature
    .split(' ')
    .map((entry) => entry.split(',', 2))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => value as string);
  let matched = false;
  for (const secret of secrets) {
    const expected = hmacSha256(secretKey(secret), signedContent(id, timestamp, body), 'base64');
    for (const candidate of candidates) if (constantTimeEqual(expected, candidate)) matched = true;
  }
  if (!matched) throw new TenderError('unauthorized', 'webhook-signature does not match the body.');
  return { id };
}
