import { describe, expect, it } from '@jest/globals';
import { TenderError, type TenderErrorType } from '@tender/core';
import { BodyTooLargeError, describeError } from '@tender/http';

describe('describeError', () => {
  it.each<[TenderErrorType, number]>([
    ['not_found', 404],
    ['unauthorized', 401],
    ['invalid_data', 400],
    ['conflict', 409],
    ['unavailable', 503],
    ['not_allowed', 500],
    ['provider_error', 500],
  ])('TenderError %s → %i', (type, status) => {
    expect(describeError(new TenderError(type, 'the reason')).status).toBe(status);
  });

  it('sends a 4xx TenderError message as one bounded line', () => {
    const disposition = describeError(
      new TenderError('invalid_data', `first line ${'x'.repeat(500)}\n    at secret (/srv/x.js:1:1)`),
    );
    expect(disposition.message).not.toContain('\n');
    expect(disposition.message).not.toContain('/srv/x.js');
    expect(disposition.message.length).toBeLessThanOrEqual(300);
    expect(disposition.serverFault).toBe(false);
  });

  it('hides everything about an unexpected error', () => {
    const disposition = describeError(new Error('password=hunter2'));
    expect(disposition).toEqual({
      status: 500,
      type: 'internal_error',
      message: 'internal error',
      headers: {},
      serverFault: true,
    });
    expect(describeError('a string').status).toBe(500);
    expect(describeError(null).status).toBe(500);
  });

  it("answers the receiver's unavailable error with 503 and its own message, never its cause", () => {
    const error = new TenderError('unavailable', 'The payment database is unavailable; retry later.', {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
    });
    const disposition = describeError(error);
    expect(disposition).toMatchObject({ status: 503, type: 'unavailable', serverFault: true });
    expect(disposition.message).not.toContain('10.0.0.5');
  });

  it("reads no driver's error codes: translating them is the receiver's job (the payment module does it)", () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    expect(describeError(raw)).toMatchObject({ status: 500, type: 'internal_error', message: 'internal error' });
  });

  it("keeps the HTTP layer's own errors as they are", () => {
    expect(describeError(new BodyTooLargeError(10))).toMatchObject({
      status: 413,
      type: 'payload_too_large',
      serverFault: false,
    });
  });
});
