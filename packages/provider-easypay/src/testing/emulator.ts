import { type EmulatorRequest, type EmulatorResponse, startLocalServer } from '@tender/core/testing';
import type { EasypayPaymentStatus } from '../status.js';
import { type IdempotentResponses, idempotent } from './idempotency.js';
import { EasypayLedger, type EmulatedOperation, type EmulatedSingle } from './ledger.js';
import { setOperationStatus } from './operations.js';
import { error } from './replies.js';
import { route } from './routes.js';
import { seedSingle, setSingleStatus } from './singles.js';

export type { EmulatedOperation, EmulatedSingle } from './ledger.js';
export { MBWAY_SANDBOX_PHONES } from './singles.js';

/** Easypay's public sandbox credentials: harmless, and what the emulator expects by default. */
export const EMULATOR_ACCOUNT_ID = '2b0f63e2-9fb5-4e52-aca0-b4bf0339bbe6';
export const EMULATOR_API_KEY = 'eae4aa59-8e5b-4ec2-887d-b02768481a92';

export interface EasypayEmulator {
  /** API root to pass as the provider's `apiBaseUrl` (ends in /2.0 like the real one). */
  baseUrl: string;
  accountId: string;
  apiKey: string;
  payments: Map<string, EmulatedSingle>;
  captures: Map<string, EmulatedOperation>;
  refunds: Map<string, EmulatedOperation>;
  voids: Map<string, EmulatedOperation>;
  /** Every request received, for assertions (headers lower-cased). */
  requests: Array<{ method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }>;
  /** What happens at Easypay's side: the customer pays, declines, the reference expires… */
  setStatus(id: string, status: EasypayPaymentStatus): EmulatedSingle;
  /**
   * Puts a payment straight into the emulator, as if created earlier at Easypay (no API validation):
   * for tests that start from a given state, e.g. a notification about an existing payment.
   */
  seedPayment(fields: Partial<EmulatedSingle> & Pick<EmulatedSingle, 'key' | 'value'>): EmulatedSingle;
  /** Changes a refund / void operation's status (e.g. to leave it "processing"). */
  setOperationStatus(id: string, status: EmulatedOperation['status']): EmulatedOperation;
  close(): Promise<void>;
}

export interface EasypayEmulatorOptions {
  accountId?: string;
  apiKey?: string;
  /** Default: a free port. */
  port?: number;
}

/**
 * A local Easypay 2.0: the endpoints the provider uses (single create/details/delete, capture, void,
 * refund and their details), AccountId/ApiKey checks and Idempotency-Key replay, on 127.0.0.1.
 */
export async function startEasypayEmulator(options: EasypayEmulatorOptions = {}): Promise<EasypayEmulator> {
  const accountId = options.accountId ?? EMULATOR_ACCOUNT_ID;
  const apiKey = options.apiKey ?? EMULATOR_API_KEY;
  const ledger = new EasypayLedger();
  const requests: EasypayEmulator['requests'] = [];
  const idempotency: IdempotentResponses = new Map();

  const serve = (request: EmulatorRequest): EmulatorResponse => {
    requests.push({ method: request.method, path: request.path, headers: { ...request.headers }, body: request.body });
    if (request.headers.accountid !== accountId || request.headers.apikey !== apiKey) {
      return error(403, 'Authentication Error: Invalid AccountId or ApiKey');
    }
    return idempotent(idempotency, request, () => route(ledger, request));
  };
  const server = await startLocalServer(serve, '/2.0', options.port);
  ledger.baseUrl = server.baseUrl;

  return {
    baseUrl: server.baseUrl,
    accountId,
    apiKey,
    payments: ledger.payments,
    captures: ledger.captures,
    refunds: ledger.refunds,
    voids: ledger.voids,
    requests,
    setStatus: (id, status) => setSingleStatus(ledger, id, status),
    seedPayment: (fields) => seedSingle(ledger, fields),
    setOperationStatus: (id, status) => setOperationStatus(ledger, id, status),
    close: () => server.close(),
  };
}
