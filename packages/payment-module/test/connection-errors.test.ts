import { describe, expect, it } from '@jest/globals';
import { TenderError } from '@tender/core';
import { isConnectionError, unavailableIfDisconnected } from '../src/database/connection-errors.js';

function coded(code: string, message = 'driver error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isConnectionError', () => {
  it.each(['08000', '08003', '08006', '08001', '08004', '08P01', '57P01', '57P02', '57P03', '53300'])(
    'PostgreSQL SQLSTATE %s is a connection error',
    (code) => {
      expect(isConnectionError(coded(code))).toBe(true);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'])(
    'socket error %s is a connection error',
    (code) => {
      expect(isConnectionError(coded(code))).toBe(true);
    },
  );

  it.each([
    '23505', // unique_violation
    '40001', // serialization_failure
    '42P01', // undefined_table
    '22P02', // invalid_text_representation
    '57014', // query_canceled
    'ERR_INVALID_ARG_TYPE',
  ])('%s is not', (code) => {
    expect(isConnectionError(coded(code))).toBe(false);
  });

  it("recognises node-postgres's code-less connection messages", () => {
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('looks through cause chains and AggregateErrors', () => {
    const wrapped = new TenderError('provider_error', 'insert failed', {
      cause: new Error('query failed', { cause: coded('57P01') }),
    });
    expect(isConnectionError(wrapped)).toBe(true);
    const aggregate = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all addresses failed');
    expect(isConnectionError(aggregate)).toBe(true);
    expect(isConnectionError(Object.assign(new Error('wrapped'), { name: 'ConnectionException' }))).toBe(true);
  });

  it('survives values that are not errors and cyclic causes', () => {
    expect(isConnectionError(undefined)).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
    expect(isConnectionError({ code: 42 })).toBe(false);
    const cyclic: { cause?: unknown; message: string } = { message: 'loop' };
    cyclic.cause = cyclic;
    expect(isConnectionError(cyclic)).toBe(false);
  });
});

describe('unavailableIfDisconnected', () => {
  it('turns a connection error, raw or wrapped in another TenderError, into unavailable with it as the cause', () => {
    const raw = coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432');
    for (const error of [raw, new TenderError('invalid_data', 'wrapped', { cause: raw })]) {
      const translated = unavailableIfDisconnected(error);
      expect(translated).toMatchObject({ type: 'unavailable', cause: error });
      expect((translated as Error).message).not.toContain('10.0.0.5');
    }
  });

  it('leaves every other error, and an unavailable one, as it is', () => {
    const unavailable = new TenderError('unavailable', 'retry later', { cause: coded('57P01') });
    const conflict = coded('23505');
    expect(unavailableIfDisconnected(unavailable)).toBe(unavailable);
    expect(unavailableIfDisconnected(conflict)).toBe(conflict);
  });
});
