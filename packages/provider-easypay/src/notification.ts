import {
  type PaymentAction,
  PaymentActions,
  parseJsonObject,
  TenderError,
  type WebhookActionAndData,
  webhookAmount,
} from '@tender/core';
import type { EasypayClient, EasypayObject } from './easypay-client.js';
import { actionOf } from './status.js';

/** Easypay 2.0 generic notification: `{ id, key, type, status, messages, date }`, POSTed as JSON, unsigned. */
export interface EasypayGenericNotification {
  id: string;
  key?: string;
  type: string;
  status: string;
  messages?: unknown;
  date?: string;
}

export function parseGenericNotification(rawBody: Buffer): EasypayGenericNotification {
  const body = parseJsonObject(rawBody);
  const { id, key, type, status, date } = body;
  if (typeof id !== 'string' || !id || typeof type !== 'string' || !type || typeof status !== 'string' || !status) {
    throw new TenderError('invalid_data', 'Easypay notification needs string "id", "type" and "status" fields.');
  }
  if (key !== undefined && key !== null && typeof key !== 'string') {
    throw new TenderError('invalid_data', 'Easypay notification "key" must be a string.');
  }
  return { id, type, status, key: key ?? undefined, messages: body.messages, date: typeof date === 'string' ? date : undefined };
}

/**
 * Same for every redelivery of one notification, different for another operation or outcome. `date`
 * is left out on purpose: a retried delivery must not become a new event.
 */
export function notificationEventId(notification: EasypayGenericNotification): string {
  return `${notification.type}:${notification.id}:${notification.key ?? ''}:${notification.status}`;
}

interface Logger {
  warn(obj: object, msg?: string): void;
}

/** Fetches `path`; a 404 means Easypay never issued what the notification names, so it is forged. */
async function fetchNamed(client: EasypayClient, path: string, what: string): Promise<EasypayObject> {
  try {
    return await client.request({ method: 'GET', path });
  } catch (error) {
    if (TenderError.is(error, 'not_found')) {
      throw new TenderError(
        'unauthorized',
        `Easypay has no ${what}: the notification was not issued by Easypay for this account.`,
      );
    }
    throw error;
  }
}

/**
 * The session and money a notification means, from what Easypay's API reports: the amount through core's
 * `webhookAmount`, so a zero or negative value for money that moved is refused (400) like any provider's.
 */
function sessionData(payment: EasypayObject, action: PaymentAction, amount?: unknown) {
  if (typeof payment.key !== 'string' || !payment.key) {
    throw new TenderError('provider_error', `Easypay payment ${String(payment.id)} has no "key": it was not created by Tender.`);
  }
  const currency = typeof payment.currency === 'string' ? payment.currency : 'EUR';
  const value = amount ?? payment.value;
  // parseExactJson(…, 'text') turned numbers into their source text, so a real amount is a string here.
  if (typeof value !== 'string') throw new TenderError('provider_error', `Easypay returned no value for ${String(payment.id)}.`);
  return {
    session_id: payment.key,
    amount: webhookAmount(value, currency, { action, label: 'Easypay value' }),
    currency_code: currency.toLowerCase(),
  };
}

/** Easypay says something succeeded but its API does not show it yet: answer 5xx so Easypay retries. */
function notYetVisible(notification: EasypayGenericNotification, fetched: unknown): TenderError {
  return new TenderError(
    'unavailable',
    `Easypay notified ${notification.type} ${notification.status} for ${notification.id} but its API reports "${String(fetched)}"; ` +
      'refusing for now so Easypay retries the notification.',
  );
}

/**
 * Turns a verified-credentials notification into an action by re-reading the payment (or the refund /
 * void operation) from Easypay: the fetched status decides, never the payload's.
 */
export async function resolveNotification(
  client: EasypayClient,
  notification: EasypayGenericNotification,
  logger?: Logger,
): Promise<WebhookActionAndData> {
  const event_id = notificationEventId(notification);
  const event_type = `${notification.type}.${notification.status}`;
  const id = encodeURIComponent(notification.id);
  const notSupported = { action: PaymentActions.NOT_SUPPORTED, event_id, event_type } as const;

  switch (notification.type) {
    case 'authorisation':
    case 'capture': {
      const payment = await fetchNamed(client, `/single/${id}`, `single payment ${notification.id}`);
      const action = actionOf(payment.payment_status);
      if (!action) {
        logger?.warn({ payment_id: notification.id, payment_status: payment.payment_status }, 'Unknown Easypay payment_status');
        return notSupported;
      }
      if (action === PaymentActions.PENDING && notification.status === 'success') {
        throw notYetVisible(notification, payment.payment_status);
      }
      return { action, event_id, event_type, data: sessionData(payment, action) };
    }
    case 'refund':
    case 'void': {
      const operation = await fetchNamed(client, `/${notification.type}/${id}`, `${notification.type} ${notification.id}`);
      if (operation.status !== 'success') {
        if (notification.status === 'success') throw notYetVisible(notification, operation.status);
        return notSupported;
      }
      if (typeof operation.payment_id !== 'string') {
        throw new TenderError('provider_error', `Easypay ${notification.type} ${notification.id} names no payment_id.`);
      }
      const payment = await fetchNamed(
        client,
        `/single/${encodeURIComponent(operation.payment_id)}`,
        `single payment ${operation.payment_id}`,
      );
      const action: PaymentAction = notification.type === 'refund' ? PaymentActions.REFUNDED : PaymentActions.CANCELED;
      const amount = notification.type === 'refund' ? operation.value : undefined;
      return { action, event_id, event_type, data: sessionData(payment, action, amount) };
    }
    case 'chargeback': {
      // Confirm it is genuine, but a chargeback is a dispute, which Tender has no action for: record and acknowledge.
      await fetchNamed(client, `/single/${id}`, `single payment ${notification.id}`);
      logger?.warn({ payment_id: notification.id }, 'Easypay chargeback received: handle the dispute in the Easypay backoffice');
      return notSupported;
    }
    default:
      // frequent_create, subscription_*, out_payment: not single payments Tender created.
      return notSupported;
  }
}
