import type { WebhookDelivery } from '@tender/core/testing';
import { EASYPAY_SECRET_QUERY_PARAM } from '../notification-auth.js';
import type { EmulatedSingle } from './emulator.js';

/** A webhook request as the gateway sends it, before any HTTP layer touches it. */

export interface EasypayNotificationBody {
  id: string;
  key?: string;
  type: 'authorisation' | 'capture' | 'void' | 'refund' | 'chargeback' | (string & {});
  status: 'success' | 'failed' | (string & {});
  messages?: string[];
  date?: string;
}

export interface EasypayCredentials {
  /** The provider's webhookSecret; omit to send the notification with no credentials. */
  secret?: string;
  /** How the notification URL carries it: Basic password (default) or `?secret=`. */
  via?: 'basic' | 'query';
  /** Basic user name; Easypay's URL may use any. */
  username?: string;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  authorisation: 'Your request was successfully authorised',
  capture: 'Your request was successfully captured',
  void: 'Your request was successfully voided',
  refund: 'Your request was successfully refunded',
};

/** Builds an Easypay generic notification delivery byte-for-byte as Easypay POSTs it. */
export function buildEasypayNotification(body: EasypayNotificationBody, credentials: EasypayCredentials = {}): WebhookDelivery {
  const payload = {
    id: body.id,
    key: body.key ?? '',
    type: body.type,
    status: body.status,
    messages: body.messages ?? [
      body.status === 'success' ? (DEFAULT_MESSAGES[body.type] ?? 'Success') : 'Your request has failed',
    ],
    date: body.date ?? new Date().toISOString().slice(0, 19).replace('T', ' '),
  };
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Easypay-Notifications' };
  const query: Record<string, string> = {};
  if (credentials.secret !== undefined) {
    if (credentials.via === 'query') {
      query[EASYPAY_SECRET_QUERY_PARAM] = credentials.secret;
    } else {
      const basic = Buffer.from(`${credentials.username ?? 'easypay'}:${credentials.secret}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    }
  }
  return { method: 'POST', headers, query, rawBody: Buffer.from(JSON.stringify(payload)) };
}

/**
 * The notification Easypay sends after `payment` reached its current status in the emulator
 * (authorised → authorisation, paid → capture, failed → capture failed), with the key Easypay uses.
 */
export function notificationForPayment(payment: EmulatedSingle, credentials: EasypayCredentials = {}): WebhookDelivery {
  const type = payment.payment_status === 'authorised' ? 'authorisation' : 'capture';
  const status = payment.payment_status === 'authorised' || payment.payment_status === 'paid' ? 'success' : 'failed';
  // Easypay names a sale's capture by its capture.transaction_key, an authorisation by the payment key.
  const key = type === 'capture' ? (payment.capture?.transaction_key ?? payment.key) : payment.key;
  return buildEasypayNotification({ id: payment.id, key, type, status }, credentials);
}
