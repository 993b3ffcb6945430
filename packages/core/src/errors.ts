/**
 * Every failure Tender raises on purpose is a TenderError, so callers (and the HTTP layer)
 * can branch on `type` instead of parsing messages.
 */
export const TenderErrorTypes = {
  NOT_FOUND: 'not_found',
  INVALID_DATA: 'invalid_data',
  NOT_ALLOWED: 'not_allowed',
  CONFLICT: 'conflict',
  UNAUTHORIZED: 'unauthorized',
  PROVIDER_ERROR: 'provider_error',
  UNAVAILABLE: 'unavailable',
} as const;

export type TenderErrorType = (typeof TenderErrorTypes)[keyof typeof TenderErrorTypes];

export class TenderError extends Error {
  readonly type: TenderErrorType;
  /** Machine-readable detail safe to show a caller (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(type: TenderErrorType, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TenderError';
    this.type = type;
    this.details = options?.details;
  }

  static is(error: unknown, type?: TenderErrorType): error is TenderError {
    return error instanceof TenderError && (type === undefined || error.type === type);
  }
}
