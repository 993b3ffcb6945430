import { describe, expect, it } from '@jest/globals';
import { hmacSha256 } from '@tender/core';
import { expectTenderError, flipByte, OTHER_SECRET, read, SECRET, signed, toRequest } from './support/harness.js';

const event = { id: 'evt_1', type: 'payment.completed', session_id: 'ps_1', amount: '10.00', currency: 'EUR' };
const now = () => Math.floor(Date.now() / 1000);

describe('X-Signature verification', () => {
  const options = { secrets: [SECRET] };

  it('accepts the exact signed bytes (the control for the rejections below)', async () => {
    expect((await read(options, signed(options, { event }))).action).toBe('captured');
  });

  it('rejects a body with one byte changed', async () => {
    const request = signed(options, { event });
    await expectTenderError(read(options, { ...request, rawBody: flipByte(request.rawBody) }), 'unauthorized', /does not match/);
  });

  it('rejects a body re-serialized with different whitespace (the raw bytes are what is signed)', async () => {
    const request = signed(options, { event });
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(request.rawBody.toString()), null, 2));
    await expectTenderError(read(options, { ...request, rawBody: reformatted }), 'unauthorized', /does not match/);
  });

  it('rejects a signature made with another key', async () => {
    await expectTenderError(
      read(options, signed(options, { event, secret: OTHER_SECRET })),
      'unauthorized',
      /check the secrets option/,
    );
  });

  it('rejects a missing or empty signature header before looking at the body', async () => {
    const { rawBody } = signed(options, { event });
    await expectTenderError(read(options, toRequest({}, rawBody)), 'unauthorized', /Missing x-signature header/);
    await expectTenderError(
      read(options, toRequest({ 'x-signature': '' }, Buffer.from('not json'))),
      'unauthorized',
      /Missing x-signature/,
    );
  });

  it('checks the signature before parsing, so a forged malformed body is unauthorized rather than invalid_data', async () => {
    await expectTenderError(
      read(options, toRequest({ 'x-signature': 'ab'.repeat(32) }, Buffer.from('{oops'))),
      'unauthorized',
      /does not match/,
    );
  });

  it('accepts a sha256= prefix and upper-case hex', async () => {
    const { rawBody } = signed(options, { event });
    const digest = hmacSha256(SECRET, rawBody);
    expect((await read(options, toRequest({ 'x-signature': `sha256=${digest}` }, rawBody))).event_id).toBe('evt_1');
    expect((await read(options, toRequest({ 'X-Signature': digest.toUpperCase() }, rawBody))).event_id).toBe('evt_1');
  });

  it('reads a custom header with a base64 digest', async () => {
    const custom = { secrets: [SECRET], signatureHeader: 'X-Gateway-Signature', signatureEncoding: 'base64' as const };
    const request = signed(custom, { event });
    expect(request.headers['X-Gateway-Signature']).toBe(hmacSha256(SECRET, request.rawBody, 'base64'));
    expect((await read(custom, request)).action).toBe('captured');
    await expectTenderError(read(custom, signed(options, { event })), 'unauthorized', /Missing X-Gateway-Signature/);
  });
});

describe('secret rotation', () => {
  it('accepts deliveries signed with any configured secret and refuses a retired one', async () => {
    const rotating = { secrets: [SECRET, OTHER_SECRET] };
    expect((await read(rotating, signed(rotating, { event, secret: SECRET }))).action).toBe('captured');
    expect((await read(rotating, signed(rotating, { event, secret: OTHER_SECRET }))).action).toBe('captured');
    const rotated = { secrets: [OTHER_SECRET] };
    await expectTenderError(read(rotated, signed(rotated, { event, secret: SECRET })), 'unauthorized', /does not match/);
    await expectTenderError(
      read(rotating, signed(rotating, { event, secret: 'a-third-secret-never-configured' })),
      'unauthorized',
      /does not match/,
    );
  });
});

describe('timestamp header', () => {
  const options = { secrets: [SECRET], timestamp: { toleranceSeconds: 300 } };

  it('accepts a fresh timestamp, and one at the edge of the tolerance', async () => {
    expect((await read(options, signed(options, { event }))).action).toBe('captured');
    expect((await read(options, signed(options, { event, timestamp: now() - 290 }))).action).toBe('captured');
  });

  it('rejects a stale delivery (a replay) and one from the future', async () => {
    await expectTenderError(
      read(options, signed(options, { event, timestamp: now() - 301 })),
      'unauthorized',
      /more than 300s away from now/,
    );
    await expectTenderError(
      read(options, signed(options, { event, timestamp: now() + 3600 })),
      'unauthorized',
      /replayed delivery, or the clocks/,
    );
  });

  it('rejects a replay whose timestamp header was refreshed, because the timestamp is signed', async () => {
    const old = signed(options, { event, timestamp: now() - 3600 });
    const refreshed = { ...old, headers: { ...old.headers, 'x-timestamp': String(now()) } };
    await expectTenderError(read(options, refreshed), 'unauthorized', /does not match/);
  });

  it('rejects a missing or non-numeric timestamp', async () => {
    const request = signed(options, { event });
    const { 'x-timestamp': _dropped, ...withoutTimestamp } = request.headers;
    await expectTenderError(
      read(options, { ...request, headers: withoutTimestamp }),
      'unauthorized',
      /Missing x-timestamp header/,
    );
    await expectTenderError(
      read(options, { ...request, headers: { ...request.headers, 'x-timestamp': '2026-11-25T10:00:00Z' } }),
      'unauthorized',
      /unix timestamp in seconds/,
    );
  });

  it('with signed: false, verifies the body alone but still refuses stale deliveries', async () => {
    const unsigned = { secrets: [SECRET], timestamp: { header: 'x-sent-at', signed: false } };
    const request = signed(unsigned, { event });
    expect(request.headers['x-signature']).toBe(hmacSha256(SECRET, request.rawBody));
    expect((await read(unsigned, request)).action).toBe('captured');
    await expectTenderError(
      read(unsigned, signed(unsigned, { event, timestamp: now() - 301 })),
      'unauthorized',
      /x-sent-at is more than 300s/,
    );
  });

  it('a timestamp-less configuration ignores a stale timestamp header (it is not signed there)', async () => {
    const plain = { secrets: [SECRET] };
    const request = signed(plain, { event });
    expect((await read(plain, { ...request, headers: { ...request.headers, 'x-timestamp': '1' } })).action).toBe('captured');
  });
});
