/**
 * Failures the HTTP layer itself detects (before or instead of calling the receiver).
 * Their messages are written here, so they are always safe to send to the caller.
 */
export class WebhookHttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly headers: Record<string, string>;

  constructor(status: number, type: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'WebhookHttpError';
    this.status = status;
    this.type = type;
    this.headers = headers;
  }
}

export class BodyTooLargeError extends WebhookHttpError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `Request body exceeds the limit of ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The client went away or the stream broke while the body was being read. */
export class BodyReadError extends WebhookHttpError {
  constructor(cause?: unknown) {
    super(400, 'invalid_data', 'Request body could not be read completely.');
    this.name = 'BodyReadError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/**
 * Something upstream (a body parser) already read the stream, so the exact bytes the
 * provider signed are gone. This is a host configuration error, hence a 500 whose message
 * says how to fix the mount.
 */
export class BodyAlreadyConsumedError extends WebhookHttpError {
  constructor(message: string) {
    super(500, 'body_already_consumed', message);
    this.name = 'BodyAlreadyConsumedError';
  }
}

/** The client did not finish sending the body in time (a slow-body attack, or a stalled connection). */
export class BodyTimeoutError extends WebhookHttpError {
  constructor(timeoutMs: number) {
    super(408, 'request_timeout', `Request body was not received within ${timeoutMs} ms.`);
    this.name = 'BodyTimeoutError';
  }
}
