import { TenderError } from '@tender/core';

/**
 * Recognises "the database (or another backing service) is unreachable right now" errors.
 *
 * Those must become 503 so the provider retries later: answering 500 or 4xx could make a
 * provider give up on an event Tender never stored.
 */

/** Node socket errors seen when a connection cannot be made or is cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 is "connection exception"; 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now; 53300 too_many_connections.
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const PG_CONNECTION_CLASS = '08';

/**
 * node-postgres raises these without a code; matching the text is the only signal it gives.
 * Kept to the exact phrases pg and pg-pool use.
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/** ORMs wrap driver errors; MikroORM names its wrapper this way. */
const CONNECTION_ERROR_NAMES = new Set(['ConnectionException']);

const MAX_DEPTH = 8;

function ownConnectionSignal(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_CODES.has(code)) return true;
    if (code.length === 5 && code.startsWith(PG_CONNECTION_CLASS)) return true;
  }
  if (typeof name === 'string' && CONNECTION_ERROR_NAMES.has(name)) return true;
  if (typeof message === 'string' && PG_CONNECTION_MESSAGES.some((phrase) => message.includes(phrase))) return true;
  return false;
}

/**
 * True when the error, its `cause` chain, or any error of an AggregateError (pg tries each
 * resolved address and aggregates the failures) says the connection itself failed.
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || error === null || typeof error !== 'object') return false;
  if (ownConnectionSignal(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (isConnectionError(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isConnectionError(inner, depth + 1));
}

/**
 * The one place a lost database becomes `TenderError('unavailable')` (503, so the provider retries) on its
 * way out of the module, whatever raised or wrapped it; any other error is returned unchanged. The HTTP
 * layer reads TenderError types only.
 */
export function unavailableIfDisconnected(error: unknown): unknown {
  if (TenderError.is(error, 'unavailable') || !isConnectionError(error)) return error;
  return new TenderError('unavailable', 'The payment database is unavailable; retry later.', { cause: error });
}
