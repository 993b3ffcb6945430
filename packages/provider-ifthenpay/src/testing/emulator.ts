import { type EmulatorRequest, type EmulatorResponse, startLocalServer } from '@tender/core/testing';
import { type EmulatedIfthenpayPayment, type EmulatedStatus, type IfthenpayAccount, setPaymentStatus } from './account.js';
import { buildIfthenpayCallback, type IfthenpayCallbackStyle, type WebhookDelivery } from './callback.js';
import { route } from './endpoints.js';

export type { EmulatedIfthenpayPayment, EmulatedStatus } from './account.js';

export const EMULATOR_MB_KEY = 'EMU-000001';
export const EMULATOR_MBWAY_KEY = 'EMU-000002';
export const EMULATOR_BACKOFFICE_KEY = '0000-0000-0000-0000';
export const EMULATOR_ANTI_PHISHING_KEY = 'emulator-anti-phishing-key';

export interface IfthenpayEmulator {
  /** Pass as the provider's `apiBaseUrl`. */
  baseUrl: string;
  mbKey: string;
  mbWayKey: string;
  backofficeKey: string;
  antiPhishingKey: string;
  payments: Map<string, EmulatedIfthenpayPayment>;
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: string }>;
  /** What happens on the customer's side: pays, rejects in the app, lets it expire… */
  setStatus(requestId: string, status: EmulatedStatus): EmulatedIfthenpayPayment;
  /** The callback Ifthenpay sends for a paid request (the payment is marked paid first). */
  pay(requestId: string, style?: IfthenpayCallbackStyle): WebhookDelivery;
  close(): Promise<void>;
}

export interface IfthenpayEmulatorOptions {
  mbKey?: string;
  mbWayKey?: string;
  backofficeKey?: string;
  antiPhishingKey?: string;
  /** Default: a free port. */
  port?: number;
}

/**
 * A local Ifthenpay API on 127.0.0.1: Multibanco reference creation, MB WAY requests and their
 * status, refunds, with the keys checked like the real one. Callbacks are built with `pay()`.
 */
export async function startIfthenpayEmulator(options: IfthenpayEmulatorOptions = {}): Promise<IfthenpayEmulator> {
  const mbKey = options.mbKey ?? EMULATOR_MB_KEY;
  const mbWayKey = options.mbWayKey ?? EMULATOR_MBWAY_KEY;
  const backofficeKey = options.backofficeKey ?? EMULATOR_BACKOFFICE_KEY;
  const antiPhishingKey = options.antiPhishingKey ?? EMULATOR_ANTI_PHISHING_KEY;
  const account: IfthenpayAccount = { mbKey, mbWayKey, backofficeKey, payments: new Map() };
  const requests: IfthenpayEmulator['requests'] = [];
  const serve = (request: EmulatorRequest): EmulatorResponse => {
    requests.push({
      method: request.method,
      path: request.path,
      query: Object.fromEntries(request.query),
      body: request.body,
    });
    return route(account, request);
  };
  const server = await startLocalServer(serve, '', options.port);
  const setStatus = (requestId: string, status: EmulatedStatus) => setPaymentStatus(account, requestId, status);

  return {
    baseUrl: server.baseUrl,
    mbKey,
    mbWayKey,
    backofficeKey,
    antiPhishingKey,
    payments: account.payments,
    requests,
    setStatus,
    pay(requestId, style) {
      const payment = setStatus(requestId, 'paid');
      return buildIfthenpayCallback(
        {
          antiPhishingKey,
          orderId: payment.orderId,
          amount: payment.amount,
          requestId: payment.requestId,
          entity: payment.entity,
          reference: payment.reference,
        },
        style,
      );
    },
    close: () => server.close(),
  };
}
