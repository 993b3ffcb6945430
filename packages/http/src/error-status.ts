import { TenderError } from '@tender/core';
import { WebhookHttpError } from './http-errors.js';

/** What the caller is told about a failure; `message` is always safe to send. */
export interface ErrorDisposition {
  status: number;
  type: string;
  message: string;
  headers: Record<string, string>;
  /** 5xx: the real error is logged, because the response says nothing useful about it. */
  serverFault: boolean;
}

const TENDER_STATUS: Record<string, number> = {
  not_found: 404,
  unauthorized: 401,
  invalid_data: 400,
  unavailable: 503,
  conflict: 409,
};

const INTERNAL_MESSAGE = 'internal error';
const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable, retry later.';
const MAX_MESSAGE_LENGTH = 300;

/**
 * TenderError messages are written for callers, but they can still carry provider text;
 * one bounded line keeps a response from smuggling a stack or a dump of the payload.
 */
function safeMessage(message: string): string {
  const oneLine = message.split(/\r?\n/, 1)[0].trim();
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : oneLine;
}

export function describeError(error: unknown): ErrorDisposition {
  if (error instanceof WebhookHttpError) {
    return {
      status: error.status,
      type: error.type,
      message: error.message,
      headers: error.headers,
      serverFault: error.status >= 500,
    };
  }
  // The receiver has already turned a lost database into `unavailable` (the payment module does, for every
  // driver error): this layer reads TenderError types only, never a driver's codes.
  if (error instanceof TenderError) {
    const status = TENDER_STATUS[error.type];
    if (status === 503) {
      return {
        status,
        type: error.type,
        message: safeMessage(error.message) || UNAVAILABLE_MESSAGE,
        headers: {},
        serverFault: true,
      };
    }
    if (status !== undefined) {
      return { status, type: error.type, message: safeMessage(error.message), headers: {}, serverFault: false };
    }
  }
  return { status: 500, type: 'internal_error', message: INTERNAL_MESSAGE, headers: {}, serverFault: true };
}
