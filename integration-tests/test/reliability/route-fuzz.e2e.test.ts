import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTimestamped } from '@tender/core';
import fc from 'fast-check';
import { SYSTEM_SECRET, startTestApp, type TestApp, tableCounts } from '../../support/app.js';
import { report } from '../../support/reliability/harness.js';

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 1000);
const BODY_LIMIT = 1024 * 1024; // the route's default

let app: TestApp;
let sessionIds: string[] = [];
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // The in-process worker runs: were an unverified request ever stored, it would also become a payment.
  app = await startTestApp();
  sessionIds = [];
  for (let i = 0; i < 3; i++) sessionIds.push((await app.checkout('12.00')).sessionId);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  agent.destroy();
  await app?.close();
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends exactly what was generated (node:http, so any method, path and header go out as they are). */
function sendRaw(base: string, req: FuzzRequest): Promise<{ status: number; type: string } | { error: string }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let type = '-';
          try {
            type = JSON.parse(Buffer.concat(chunks).toString()).error?.type ?? '-';
          } catch {}
          resolve({ status: res.statusCode ?? 0, type });
        });
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    r.on('error', (error) => resolve({ error: error.message }));
    r.end(req.method === 'HEAD' ? undefined : req.body);
  });
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,40}$/);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,12}$/) },
);

const path = fc.oneof(
  { weight: 5, arbitrary: fc.constant('/hooks/payment/system_default') },
  { weight: 1, arbitrary: fc.constant('/hooks/payment/system_default/_') },
  { weight: 1, arbitrary: fc.constant('/hooks/payment/system_default/') },
  { weight: 1, arbitrary: segment.map((t) => `/hooks/payment/system_default/${t}`) },
  { weight: 1, arbitrary: fc.tuple(segment, segment).map(([a, b]) => `/hooks/payment/${a}_${b}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((s) => `/hooks/payment/${s.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('/hooks/payment/system_default', '/hooks/payment/../payment/system_default'), segment, segment)
      .map(([p, k, v]) => `${p}?${k}=${v}`),
  },
);

/** An event body as the system provider's sender would write one, naming a real session. */
const eventBody = fc
  .record({
    id: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('evt_fuzz')),
    type: fc.constantFrom('payment.authorized', 'payment.captured', 'payment.refunded', 'payment.failed', 'other.thing'),
    session: fc.nat(2),
    amount: fc.oneof(fc.constant('12.00'), fc.constant('-1'), fc.string({ maxLength: 8 })),
  })
  .map(({ id, type, session, amount }) =>
    Buffer.from(JSON.stringify({ id, type, data: { session_id: sessionIds[session], amount, currency_code: 'usd' } })),
  );

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 6, arbitrary: eventBody },
  { weight: 1, arbitrary: fc.integer({ min: BODY_LIMIT - 16, max: BODY_LIMIT + 4096 }).map((n) => Buffer.alloc(n, 0x7b)) },
);

type SignatureKind = 'none' | 'garbage' | 'wrong-secret' | 'stale' | 'other-body' | 'future' | 'shaped';

/** Every signature a provider's attacker (or a broken proxy) could send, none of them valid for these bytes now. */
function signature(kind: SignatureKind, bytes: Buffer, garbage: string, hex: string): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case 'none':
      return undefined;
    case 'garbage':
      return garbage;
    case 'wrong-secret':
      return signTimestamped('whsec_not_the_configured_secret', bytes);
    case 'stale':
      return signTimestamped(SYSTEM_SECRET, bytes, now - 3600);
    case 'future':
      return signTimestamped(SYSTEM_SECRET, bytes, now + 3600);
    case 'other-body':
      return signTimestamped(SYSTEM_SECRET, Buffer.concat([bytes, Buffer.from(' ')]));
    case 'shaped':
      return `t=${now},v1=${hex}`;
  }
}

const fuzzRequest = fc
  .record({
    method,
    path,
    body,
    contentType: fc.option(
      fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data'),
        headerValue,
      ),
      { nil: undefined },
    ),
    signatureKind: fc.constantFrom<SignatureKind>('none', 'garbage', 'wrong-secret', 'stale', 'other-body', 'future', 'shaped'),
    garbage: headerValue,
    hex: fc.stringMatching(/^[0-9a-f]{64}$/),
    extra: fc.dictionary(token, headerValue, { maxKeys: 4 }),
  })
  .map(({ method, path, body, contentType, signatureKind, garbage, hex, extra }): FuzzRequest & { kind: SignatureKind } => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(extra)) {
      // Framing headers are the client library's business; everything else goes out as generated.
      if (!/^(content-length|transfer-encoding|host|connection|expect|upgrade|te|trailer|keep-alive)$/i.test(k)) headers[k] = v;
    }
    if (contentType !== undefined) headers['content-type'] = contentType;
    const sig = signature(signatureKind, body, garbage, hex);
    if (sig !== undefined) headers['x-tender-signature'] = sig;
    return { method, path, headers, body, kind: signatureKind };
  });

describe('reliability: property-based fuzzing of the webhook route', () => {
  it('answers bad input with a 4xx, never a 5xx, changes no state and leaves no unhandled rejection', async () => {
    const before = await tableCounts(app.payments);
    const statuses = new Map<number, number>();
    const types = new Map<string, number>();
    let sent = 0;
    let connectionErrors = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        const result = await sendRaw(app.url, req);
        sent++;
        if ('error' in result) {
          // Only acceptable when the server cut off an oversized body it refused to read.
          connectionErrors++;
          expect(req.body.length).toBeGreaterThan(BODY_LIMIT);
          return;
        }
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        const key = `${result.status} ${result.type}`;
        types.set(key, (types.get(key) ?? 0) + 1);
        expect(result.status).toBeGreaterThanOrEqual(400);
        expect(result.status).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : undefined },
    );
    await app.payments.worker?.whenIdle();
    await new Promise((r) => setImmediate(r));
    const after = await tableCounts(app.payments);
    const metrics = app.payments.metrics.snapshot();

    report('route fuzzing', {
      'requests sent': sent,
      'rejected inputs (4xx)': [...statuses].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0),
      'by status': [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, c]) => `${s}×${c}`)
        .join(' '),
      'by status and type': [...types]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([t, c]) => `${t}×${c}`)
        .join(', '),
      '5xx': [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0),
      'connections cut (413)': connectionErrors,
      'verified by the module': metrics.verified,
      'unhandled rejections': unhandled.length,
      'webhook_event rows added': after.webhook_event! - before.webhook_event!,
      'payment rows added': after.payment! - before.payment!,
      'capture rows added': after.capture! - before.capture!,
    });

    expect(unhandled).toEqual([]);
    expect(metrics.verified).toBe(0);
    expect(after).toEqual(before);
  }, 180_000);
});
