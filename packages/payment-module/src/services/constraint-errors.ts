import { TenderError, type TenderErrorType } from '@tender/core';

/**
 * PostgreSQL SQLSTATEs a caller's input can cause, and the TenderError type each one means. The driver's
 * exception classes wrap the same codes; reading the code covers statements sent through `em.execute` too.
 */
const BY_SQLSTATE: Record<string, { type: TenderErrorType; what: string }> = {
  '23505': { type: 'conflict', what: 'already exists' },
  '23503': { type: 'not_found', what: 'refers to a row that does not exist' },
  '23502': { type: 'invalid_data', what: 'is missing a required value' },
  '23514': { type: 'invalid_data', what: 'breaks a check constraint' },
  '22001': { type: 'invalid_data', what: 'has a value too long for its column' },
  '22003': { type: 'invalid_data', what: 'has a number out of range' },
  '22P02': { type: 'invalid_data', what: 'has a value of the wrong type' },
};

/** What a constraint's name says about the input that broke it, for the constraints a caller can break. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  refund_refund_reason_id_foreign: 'The refund reason does not exist.',
  refund_reason_code_unique: 'A refund reason with this code already exists.',
  account_holder_tenant_provider_id_customer_id_unique: 'This customer already has an account holder with this provider.',
  capture_payment_id_idempotency_key_unique: 'A capture with this idempotency key already exists for this payment.',
  refund_payment_id_idempotency_key_unique: 'A refund with this idempotency key already exists for this payment.',
};

interface DatabaseErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
}

/**
 * The TenderError a database constraint violation stands for, or `error` unchanged when it is not one:
 * callers branch on `type`, never on a driver's exception class.
 */
export function translateConstraintError(error: unknown): unknown {
  if (error instanceof TenderError || typeof error !== 'object' || error === null) return error;
  const fields = error as DatabaseErrorFields;
  const known = typeof fields.code === 'string' ? BY_SQLSTATE[fields.code] : undefined;
  if (!known) return error;
  const constraint = typeof fields.constraint === 'string' ? fields.constraint : undefined;
  const where = [fields.table, fields.column].filter((part) => typeof part === 'string').join('.');
  const message =
    (constraint && CONSTRAINT_MESSAGES[constraint]) ??
    `The input ${known.what}${where ? ` (${where})` : ''}${constraint ? ` [${constraint}]` : ''}.`;
  return new TenderError(known.type, message, { cause: error, details: { constraint, sqlstate: fields.code } });
}

/** `work`, with a constraint violation it raises turned into its TenderError. */
export async function withConstraintErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateConstraintError(error);
  }
}
