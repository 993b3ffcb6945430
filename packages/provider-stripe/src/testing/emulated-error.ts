/** A Stripe API error response the emulator sends: HTTP status plus Stripe's `{ error: { … } }` body. */
export class EmulatedStripeError extends Error {
  readonly status: number;
  readonly body: { error: Record<string, unknown> };

  constructor(status: number, error: Record<string, unknown>) {
    super(String(error.message));
    this.status = status;
    this.body = { error: { ...error, doc_url: error.code ? `https://stripe.com/docs/error-codes/${error.code}` : undefined } };
  }

  static invalidRequest(message: string, fields: Record<string, unknown> = {}): EmulatedStripeError {
    return new EmulatedStripeError(400, { type: 'invalid_request_error', message, ...fields });
  }

  static missing(kind: string, id: string, param = 'id'): EmulatedStripeError {
    return new EmulatedStripeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param,
      message: `No such ${kind}: '${id}'`,
    });
  }
}
