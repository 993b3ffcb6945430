import { TenderError } from '../errors.js';
import { hmacSha256, verifyHmacSha256 } from './hmac.js';
import { describeTimestampProblem, timestampOutsideTolerance } from './timestamp-window.js';

/**
 * The Stripe-style scheme `t=<unix seconds>,v1=<hex hmac of "t.body">` (several v1 entries allowed),
 * used by gateways that copy Stripe. Stripe itself is verified by its own SDK.
 */
export interface TimestampedSignatureOptions {
  secrets: readonly string[];
  /** Seconds a signature stays valid, either side of now (past and future); 0 disables the check. */
  toleranceSeconds?: number;
  now?: () => number;
}

export function signTimestamped(secret: string, body: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
  return `t=${timestamp},v1=${hmacSha256(secret, signed)}`;
}

export function verifyTimestamped(
  header: string | undefined,
  body: Buffer,
  options: TimestampedSignatureOptions,
): { timestamp: number } {
  if (!header) throw new TenderError('unauthorized', 'Missing signature header.');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new TenderError('unauthorized', 'Signature header is malformed: expected "t=<timestamp>,v1=<signature>".');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const problem = timestampOutsideTolerance(timestamp, tolerance, options.now?.() ?? Date.now());
  if (problem) throw new TenderError('unauthorized', `Signature timestamp is ${describeTimestampProblem(problem, tolerance)}.`);
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), body]);
  const valid = signatures.some((signature) => verifyHmacSha256(options.secrets, signed, signature));
  if (!valid) throw new TenderError('unauthorized', 'Signature does not match the body.');
  return { timestamp };
}
