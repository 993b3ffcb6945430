import type { EmulatorResponse } from '@tender/core/testing';

const ERROR_CODES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

/** An amount as Easypay accepts it: a decimal string with at most two decimals. */
export const MONEY = /^\d{1,9}(\.\d{1,2})?$/;

export function error(status: number, message: string): EmulatorResponse {
  return { status, json: JSON.stringify({ status: 'error', message: [message || ERROR_CODES[status]] }) };
}

export function ok(status: number, body: Record<string, unknown>): EmulatorResponse {
  return { status, json: JSON.stringify(body) };
}
