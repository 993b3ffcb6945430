import { describe, expect, it } from '@jest/globals';
import {
  hmacSha256,
  signStandardWebhook,
  signTimestamped,
  TenderError,
  timestampOutsideTolerance,
  verifyHmacSha256,
  verifyStandardWebhook,
  verifyTimestamped,
} from '../src/index.js';

const body = Buffer.from('{"id":"evt_1",  "amount": "10.00", "name":"Zoë"}\n');

describe('HMAC', () => {
  it('verifies against any secret of a rotation list', () => {
    const signature = hmacSha256('new', body);
    expect(verifyHmacSha256(['old', 'new'], body, signature)).toBe(true);
    expect(verifyHmacSha256(['old'], body, signature)).toBe(false);
  });

  it('fails on one flipped byte', () => {
    const signature = hmacSha256('s', body);
    const tampered = Buffer.from(body);
    tampered[5] = tampered[5]! ^ 1;
    expect(verifyHmacSha256(['s'], tampered, signature)).toBe(false);
  });
});

describe('timestamped (t=,v1=) signatures', () => {
  it('verifies a fresh signature and rejects stale or tampered ones', () => {
    const header = signTimestamped('whsec', body);
    expect(() => verifyTimestamped(header, body, { secrets: ['whsec'] })).not.toThrow();
    const stale = signTimestamped('whsec', body, Math.floor(Date.now() / 1000) - 301);
    expect(() => verifyTimestamped(stale, body, { secrets: ['whsec'] })).toThrow(/tolerance/);
    expect(() =>
      verifyTimestamped(header, Buffer.from(JSON.stringify(JSON.parse(body.toString()))), { secrets: ['whsec'] }),
    ).toThrow(/does not match/);
    expect(() => verifyTimestamped('garbage', body, { secrets: ['whsec'] })).toThrow(TenderError);
  });

  it('refuses a signature dated beyond the tolerance in the future, as it refuses a past one', () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = signTimestamped('whsec', body, now + 10 * 365 * 24 * 3600);
    expect(() => verifyTimestamped(ahead, body, { secrets: ['whsec'] })).toThrow(/in the future/);
    const justAhead = signTimestamped('whsec', body, now + 330);
    expect(() => verifyTimestamped(justAhead, body, { secrets: ['whsec'] })).toThrow(/in the future/);
    const withinSkew = signTimestamped('whsec', body, now + 60);
    expect(() => verifyTimestamped(withinSkew, body, { secrets: ['whsec'] })).not.toThrow();
  });
});

describe('timestampOutsideTolerance', () => {
  const now = 1_700_000_000_000;
  it('tells past from future and stays silent inside the window or when disabled', () => {
    expect(timestampOutsideTolerance(1_700_000_000, 300, now)).toBeUndefined();
    expect(timestampOutsideTolerance(1_700_000_000 - 301, 300, now)).toBe('past');
    expect(timestampOutsideTolerance(1_700_000_000 + 301, 300, now)).toBe('future');
    expect(timestampOutsideTolerance(1_700_000_000 + 300, 300, now)).toBeUndefined();
    expect(timestampOutsideTolerance(1_700_000_000 + 10_000, 0, now)).toBeUndefined();
    expect(timestampOutsideTolerance(Number.NaN, 300, now)).toBe('invalid');
  });
});

describe('Standard Webhooks', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

  it('verifies its own signature', () => {
    const headers = signStandardWebhook(secret, 'msg_1', body);
    const result = verifyStandardWebhook(
      { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] },
      body,
      [secret],
    );
    expect(result.id).toBe('msg_1');
  });

  it('rejects a changed id, an old timestamp and a wrong secret', () => {
    const headers = signStandardWebhook(secret, 'msg_1', body);
    const base = { id: 'msg_2', timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] };
    expect(() => verifyStandardWebhook(base, body, [secret])).toThrow(/does not match/);
    const old = signStandardWebhook(secret, 'msg_1', body, Math.floor(Date.now() / 1000) - 600);
    expect(() =>
      verifyStandardWebhook({ id: 'msg_1', timestamp: old['webhook-timestamp'], signature: old['webhook-signature'] }, body, [
        secret,
      ]),
    ).toThrow(/tolerance/);
    expect(() =>
      verifyStandardWebhook({ ...base, id: 'msg_1' }, body, [`whsec_${Buffer.from('other').toString('base64')}`]),
    ).toThrow(/does not match/);
  });

  it('rejects a webhook-timestamp more than 5 minutes in the future', () => {
    const ahead = signStandardWebhook(secret, 'msg_1', body, Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600);
    expect(() =>
      verifyStandardWebhook({ id: 'msg_1', timestamp: ahead['webhook-timestamp'], signature: ahead['webhook-signature'] }, body, [
        secret,
      ]),
    ).toThrow(/in the future/);
  });
});
