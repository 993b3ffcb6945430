import { randomUUID } from 'node:crypto';
import { signTimestamped } from '@tender/core';
import { SYSTEM_SIGNATURE_HEADER } from '../system-provider.js';

export interface SystemWebhookInput {
  secret: string;
  /** e.g. payment.authorized, payment.captured, payment.failed (see SYSTEM_EVENT_ACTIONS). */
  type: string;
  session_id?: string;
  amount?: string;
  currency_code?: string;
  /** Event id; a fresh one when absent. Reuse it to simulate a redelivery. */
  id?: string;
  /** Unix seconds; set an old one to simulate a replay. */
  timestamp?: number;
}

/** A webhook delivery exactly as a system-provider sender would make it. */
export function createSystemWebhook(input: SystemWebhookInput): {
  method: 'POST';
  headers: Record<string, string>;
  rawBody: Buffer;
  id: string;
} {
  const id = input.id ?? `sysevt_${randomUUID()}`;
  const body = {
    id,
    type: input.type,
    data: { session_id: input.session_id, amount: input.amount, currency_code: input.currency_code },
  };
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    method: 'POST',
    id,
    rawBody,
    headers: {
      'content-type': 'application/json',
      [SYSTEM_SIGNATURE_HEADER]: signTimestamped(input.secret, rawBody, input.timestamp),
    },
  };
}
export * from './callback-only.js';
export * from './unreachable-gateway.js';
