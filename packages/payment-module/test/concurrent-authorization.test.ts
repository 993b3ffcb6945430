import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { compareAmounts, normalizeAmount, TenderError } from '@tender/core';
import type {
  DomainEvent,
  PaymentSessionDTO,
  WebhookAuthorizationInput,
  WebhookAuthorizationResult,
} from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule } from '@tender/payment-module/testing';
import { SystemPaymentProvider } from '@tender/provider-system';
import { CallbackOnlyProvider, UnreachableGatewayProvider } from '@tender/provider-system/testing';
import { pino } from 'pino';
import { placeholders } from '../src/database/placeholders.js';

const SYSTEM = 'pp_system_default';
const FAILING = 'pp_failing_default';
const CALLBACK_ONLY = 'pp_callback-only_default';

let payments: TestPaymentModule;
let events: DomainEvent[];
/** Warnings the module logged: a shared transaction that failed says so here. */
let warnings: { msg: string; err?: { message: string } }[] = [];
const SHARED_FAILED = 'shared authorization transaction failed; writing each alone';

beforeAll(async () => {
  payments = await createTestPaymentModule({
    providers: [
      { resolve: SystemPaymentProvider, id: 'default' },
      { resolve: UnreachableGatewayProvider, id: 'default' },
      { resolve: CallbackOnlyProvider, id: 'default' },
    ],
    poolSize: 20,
    logger: pino(
      { level: 'warn' },
      {
        write(line: string) {
          warnings.push(JSON.parse(line));
        },
      },
    ),
  });
  payments.events.subscribe('*', (event) => {
    events.push(event);
  });
});
afterAll(async () => {
  await payments?.close();
});
beforeEach(() => {
  events = [];
  warnings = [];
});

/** A collection of `amount` with one pending session per entry of `sessions`. */
async function collectionWith(amount: string, sessions: string[] = [amount], provider = SYSTEM, currency_code = 'eur') {
  const collection = await payments.service.createPaymentCollections({ currency_code, amount });
  const created: PaymentSessionDTO[] = [];
  for (const sessionAmount of sessions) {
    created.push(
      await payments.service.createPaymentSession(collection.id, { provider_id: provider, amount: sessionAmount, currency_code }),
    );
  }
  return { collection, sessions: created };
}

async function pendingSession(amount: string, provider = SYSTEM) {
  return (await collectionWith(amount, [amount], provider)).sessions[0]!;
}

function fulfilled(result: PromiseSettledResult<WebhookAuthorizationResult> | undefined): WebhookAuthorizationResult {
  if (result?.status !== 'fulfilled') throw new Error(`expected a fulfilled answer, got ${JSON.stringify(result)}`);
  return result.value;
}

function rejected(result: PromiseSettledResult<WebhookAuthorizationResult> | undefined): unknown {
  if (result?.status !== 'rejected') throw new Error(`expected a rejected answer, got ${JSON.stringify(result)}`);
  return result.reason;
}

/** One webhook's authorization, as the workflow asks for it. */
type AuthorizationRequest = WebhookAuthorizationInput & { session_id: string };

/** The authorizations of a worker's batch: each its own call, all made at the same moment. */
function authorizeTogether(
  requests: readonly AuthorizationRequest[],
): Promise<PromiseSettledResult<WebhookAuthorizationResult>[]> {
  return Promise.allSettled(
    requests.map(({ session_id, ...input }) => payments.service.applyWebhookAuthorization(session_id, input)),
  );
}

/** The transaction ids that last wrote the rows `ids` of `table` (one per row). */
async function writers(table: 'payment' | 'payment_collection' | 'payment_session', ids: string[]): Promise<string[]> {
  const rows = await payments.orm.em
    .fork()
    .execute<{ x: string }[]>(`select xmin::text as x from ${table} where id in (${placeholders(ids.length)})`, ids);
  expect(rows).toHaveLength(ids.length);
  return rows.map((r) => r.x);
}

interface StoredCollection {
  amount: string;
  authorized_amount: string;
  captured_amount: string;
  refunded_amount: string;
  status: string;
  completed: boolean;
}

/**
 * The collection row as stored, checked against a recomputation from its payment, capture and refund rows
 * (sums read here, status derived here).
 */
async function storedAndRecomputed(id: string): Promise<StoredCollection> {
  const [row] = await payments.orm.em.fork().execute<
    {
      amount: string;
      authorized_amount: string;
      captured_amount: string;
      refunded_amount: string;
      status: string;
      completed_at: Date | null;
      rows_authorized: string;
      rows_captured: string;
      rows_refunded: string;
    }[]
  >(
    `select c.amount::text as amount, c.authorized_amount::text as authorized_amount, c.captured_amount::text as captured_amount,
            c.refunded_amount::text as refunded_amount, c.status, c.completed_at,
            (select coalesce(sum(p.amount), 0) from payment p
              where p.payment_collection_id = c.id and p.canceled_at is null)::text as rows_authorized,
            (select coalesce(sum(k.amount), 0) from capture k join payment p on p.id = k.payment_id
              where p.payment_collection_id = c.id and k.status = 'succeeded')::text as rows_captured,
            (select coalesce(sum(r.amount), 0) from refund r join payment p on p.id = r.payment_id
              where p.payment_collection_id = c.id and r.status = 'succeeded')::text as rows_refunded
       from payment_collection c where c.id = ?`,
    [id],
  );
  expect(row).toBeDefined();
  const stored: StoredCollection = {
    amount: normalizeAmount(row!.amount),
    authorized_amount: normalizeAmount(row!.authorized_amount),
    captured_amount: normalizeAmount(row!.captured_amount),
    refunded_amount: normalizeAmount(row!.refunded_amount),
    status: row!.status,
    completed: row!.completed_at !== null,
  };
  expect({
    authorized_amount: stored.authorized_amount,
    captured_amount: stored.captured_amount,
    refunded_amount: stored.refunded_amount,
  }).toEqual({
    authorized_amount: normalizeAmount(row!.rows_authorized),
    captured_amount: normalizeAmount(row!.rows_captured),
    refunded_amount: normalizeAmount(row!.rows_refunded),
  });
  expect(stored.refunded_amount).toBe('0'); // these tests never refund: the status below covers the rest
  const expected = statusFrom(stored.amount, stored.authorized_amount, stored.captured_amount);
  if (expected) expect(stored.status).toBe(expected);
  expect(stored.completed).toBe(stored.status === 'completed');
  return stored;
}

/** A collection's status from its sums when money was authorized; undefined when the sessions decide it. */
function statusFrom(amount: string, authorized: string, captured: string): string | undefined {
  if (compareAmounts(captured, '0') > 0) return compareAmounts(captured, amount) >= 0 ? 'completed' : 'partially_captured';
  if (compareAmounts(authorized, '0') > 0) return compareAmounts(authorized, amount) >= 0 ? 'authorized' : 'partially_authorized';
  return undefined;
}

/**
 * The domain events about a session: name and amount, in emission order. The outbox delivers after the commit,
 * so everything due is delivered first.
 */
async function eventsOf(sessionId: string): Promise<{ name: string; amount: unknown; id: unknown }[]> {
  await payments.events.drain();
  return events
    .filter((e) => e.data.session_id === sessionId)
    .map((e) => ({ name: e.name, amount: e.data.amount, id: e.data.id }));
}

async function sessionStatus(id: string): Promise<string> {
  return (await payments.service.retrievePaymentSession(id)).status;
}

describe('applyWebhookAuthorization, many at the same moment', () => {
  it('10 captured sessions of 10 collections at once: one payment each, sharing commits, totals as a recomputation gives', async () => {
    const cases = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const amount = `${20 + i}.50`;
        const full = i % 2 === 0;
        const session = await pendingSession(amount);
        return { session, amount: normalizeAmount(amount), capture: full ? amount : '7.25', full };
      }),
    );
    const answers = await authorizeTogether(
      cases.map((c) => ({ session_id: c.session.id, status: 'captured', capture: { amount: c.capture } })),
    );
    expect(answers).toHaveLength(10);

    for (const [i, c] of cases.entries()) {
      const answer = fulfilled(answers[i]);
      const captured = normalizeAmount(c.capture);
      expect(answer).toMatchObject({
        created: true,
        captured,
        collection_status: c.full ? 'completed' : 'partially_captured',
      });
      expect(answer.payment).toMatchObject({
        payment_session_id: c.session.id,
        payment_collection_id: c.session.payment_collection_id,
        // The system provider has no status call: the payment is for what the webhook proves, no more.
        amount: captured,
        captured_amount: captured,
        refunded_amount: '0',
        canceled_at: null,
      });
      expect(answer.payment.captured_at).not.toBeNull();
      expect(answer.payment.captures).toEqual([
        expect.objectContaining({ amount: captured, status: 'succeeded', source: 'provider' }),
      ]);
      // What it returns is what is stored.
      expect(await payments.service.retrievePayment(answer.payment.id)).toEqual(answer.payment);

      const list = await payments.service.listPayments({ payment_session_id: c.session.id });
      expect(list.map((p) => p.id)).toEqual([answer.payment.id]);
      expect(await sessionStatus(c.session.id)).toBe('captured');
      expect(await storedAndRecomputed(c.session.payment_collection_id)).toMatchObject({
        authorized_amount: captured,
        captured_amount: captured,
        status: c.full ? 'completed' : 'partially_captured',
        completed: c.full,
      });
      expect(await eventsOf(c.session.id)).toEqual([
        { name: 'payment.authorized', amount: captured, id: answer.payment.id },
        { name: 'payment.captured', amount: captured, id: answer.payment.id },
      ]);
    }
    expect(events).toHaveLength(20);

    // One transaction wrote every payment, its session and its collection.
    const paymentIds = answers.map((a) => fulfilled(a).payment.id);
    const written = [
      ...(await writers('payment', paymentIds)),
      ...(await writers(
        'payment_collection',
        cases.map((c) => c.session.payment_collection_id),
      )),
      ...(await writers(
        'payment_session',
        cases.map((c) => c.session.id),
      )),
    ];
    // Group commit: the first call is written at once, the nine that arrived meanwhile share the next commit.
    expect(new Set(written).size).toBeLessThan(written.length);
  });

  it('the same session twice in one list: one payment; the first answer created it, the second finds it', async () => {
    const twice = await pendingSession('30.00');
    const other = await pendingSession('12.00');
    const request = { session_id: twice.id, status: 'captured', capture: { amount: '30.00' } } as const;
    const answers = await authorizeTogether([request, { session_id: other.id, status: 'authorized' }, request]);
    const first = fulfilled(answers[0]);
    const second = fulfilled(answers[2]);
    expect(first).toMatchObject({ created: true, captured: '30', collection_status: 'completed' });
    expect(second).toMatchObject({ created: false, captured: '0' });
    expect(second.collection_status).toBeUndefined();
    expect(second.payment.id).toBe(first.payment.id);
    expect(second.payment.captures).toHaveLength(1);
    expect(fulfilled(answers[1])).toMatchObject({ created: true, captured: '0', collection_status: 'authorized' });

    const list = await payments.service.listPayments({ payment_session_id: twice.id });
    expect(list).toHaveLength(1);
    expect(list[0]!.captures.map((c) => c.amount)).toEqual(['30']);
    expect(await storedAndRecomputed(twice.payment_collection_id)).toMatchObject({ captured_amount: '30', status: 'completed' });
    expect((await eventsOf(twice.id)).map((e) => e.name)).toEqual(['payment.authorized', 'payment.captured']);
  });

  it.each([
    ['authorized', undefined, { authorized_amount: '100', captured_amount: '0', status: 'authorized', completed: false }],
    ['captured', '50', { authorized_amount: '100', captured_amount: '100', status: 'completed', completed: true }],
  ] as const)(
    'a split payment (two sessions of one collection, each half), %s: both paid, totals add up',
    async (status, capture, totals) => {
      const { collection, sessions } = await collectionWith('100.00', ['50.00', '50.00']);
      const [first, second] = sessions as [PaymentSessionDTO, PaymentSessionDTO];
      const elsewhere = await pendingSession('5.00');
      const request = (id: string): AuthorizationRequest => ({
        session_id: id,
        status,
        capture: capture ? { amount: capture } : undefined,
      });
      const answers = await authorizeTogether([request(first.id), request(elsewhere.id), request(second.id)]);

      const a = fulfilled(answers[0]);
      const b = fulfilled(answers[2]);
      expect(a).toMatchObject({
        created: true,
        collection_status: status === 'captured' ? 'partially_captured' : 'partially_authorized',
      });
      expect(b).toMatchObject({ created: true, collection_status: totals.status });
      expect(a.payment.id).not.toBe(b.payment.id);
      expect(a.payment.amount).toBe('50');
      expect(b.payment.amount).toBe('50');
      expect(fulfilled(answers[1]).created).toBe(true);
      for (const s of sessions) {
        expect(await payments.service.listPayments({ payment_session_id: s.id })).toHaveLength(1);
        expect(await sessionStatus(s.id)).toBe(status);
      }
      expect(await storedAndRecomputed(collection.id)).toEqual({ amount: '100', refunded_amount: '0', ...totals });
    },
  );

  it('a mix: unknown session, one already paid and bad capture amounts are answered alone; the valid ones still succeed', async () => {
    const valid = await pendingSession('10.00');
    const alsoValid = await pendingSession('11.00');
    const paid = await pendingSession('8.00');
    const existing = await payments.service.authorizePaymentSession(paid.id);
    const negative = await pendingSession('9.00');
    const notANumber = await pendingSession('9.00');
    const zero = await pendingSession('9.00');
    events = [];

    const answers = await authorizeTogether([
      { session_id: valid.id, status: 'captured', capture: { amount: '10' } },
      { session_id: 'payses_does_not_exist', status: 'captured', capture: { amount: '10' } },
      { session_id: paid.id, status: 'captured', capture: { amount: '8' } },
      { session_id: negative.id, status: 'captured', capture: { amount: '-5' } },
      { session_id: notANumber.id, status: 'captured', capture: { amount: 'abc' } },
      { session_id: zero.id, status: 'captured', capture: { amount: '0' } },
      { session_id: alsoValid.id, status: 'authorized' },
    ]);
    expect(answers).toHaveLength(7);

    expect(fulfilled(answers[0])).toMatchObject({ created: true, captured: '10', collection_status: 'completed' });
    expect(fulfilled(answers[6])).toMatchObject({ created: true, captured: '0', collection_status: 'authorized' });

    const unknown = rejected(answers[1]);
    expect(unknown).toBeInstanceOf(TenderError);
    expect(unknown).toMatchObject({ type: 'not_found', message: 'Payment session payses_does_not_exist was not found.' });

    const already = fulfilled(answers[2]);
    expect(already).toMatchObject({ created: false, captured: '0' });
    expect(already.collection_status).toBeUndefined();
    expect(already.payment.id).toBe(existing.id);
    // The authorization records no capture for a payment that existed (the workflow's capture step does).
    expect(already.payment.captures).toEqual([]);

    for (const [i, bad] of [
      [3, negative],
      [4, notANumber],
      [5, zero],
    ] as const) {
      const reason = rejected(answers[i]);
      expect(reason).toBeInstanceOf(TenderError);
      expect(reason).toMatchObject({ type: 'invalid_data', message: expect.stringContaining('captured amount') });
      expect(await payments.service.listPayments({ payment_session_id: bad.id })).toEqual([]);
      expect(await sessionStatus(bad.id)).toBe('pending');
      expect(await storedAndRecomputed(bad.payment_collection_id)).toMatchObject({
        authorized_amount: '0',
        captured_amount: '0',
        status: 'awaiting',
      });
      expect(await eventsOf(bad.id)).toEqual([]);
    }

    expect(await payments.service.listPayments({ payment_session_id: paid.id })).toHaveLength(1);
    expect(await eventsOf(paid.id)).toEqual([]);
    expect(await storedAndRecomputed(valid.payment_collection_id)).toMatchObject({ captured_amount: '10', status: 'completed' });
    expect(await storedAndRecomputed(alsoValid.payment_collection_id)).toMatchObject({ status: 'authorized' });
    expect(events.map((e) => e.name).sort()).toEqual(['payment.authorized', 'payment.authorized', 'payment.captured']);
  });

  it('a provider error rejects only its own session; the others are written', async () => {
    const before = await pendingSession('20.00');
    const down = await pendingSession('21.00', FAILING);
    const after = await pendingSession('22.00');
    const answers = await authorizeTogether(
      [before, down, after].map((s) => ({ session_id: s.id, status: 'captured', capture: {} })),
    );

    const reason = rejected(answers[1]);
    expect(reason).toBeInstanceOf(TenderError);
    expect(reason).toMatchObject({ type: 'provider_error', message: expect.stringContaining('gateway timed out') });
    expect(await payments.service.listPayments({ payment_session_id: down.id })).toEqual([]);
    expect(await sessionStatus(down.id)).toBe('pending');
    expect((await storedAndRecomputed(down.payment_collection_id)).status).toBe('awaiting');
    expect(await eventsOf(down.id)).toEqual([]);

    const first = fulfilled(answers[0]);
    const last = fulfilled(answers[2]);
    expect(first).toMatchObject({ created: true, captured: '20', collection_status: 'completed' });
    expect(last).toMatchObject({ created: true, captured: '22', collection_status: 'completed' });
  });

  it('when the shared transaction fails, each session is written in its own: only the one that cannot be written is rejected', async () => {
    const em = payments.orm.em.fork();
    // A real failure inside the shared statement: the database refuses one of the payments.
    await em.execute(
      `create or replace function refuse_13_13() returns trigger language plpgsql as $fn$
       begin
         if new.amount = 13.13 then raise exception 'payment of 13.13 refused by a test trigger'; end if;
         return new;
       end $fn$`,
      [],
      'run',
    );
    await em.execute(
      'create trigger refuse_13_13 before insert on payment for each row execute function refuse_13_13()',
      [],
      'run',
    );
    try {
      const first = await pendingSession('14.00');
      const refused = await pendingSession('13.13');
      const last = await pendingSession('15.00');
      const answers = await authorizeTogether(
        [first, refused, last].map((s) => ({ session_id: s.id, status: 'captured', capture: {} })),
      );

      expect(String((rejected(answers[1]) as Error).message)).toMatch(/refused by a test trigger/);
      expect(await payments.service.listPayments({ payment_session_id: refused.id })).toEqual([]);
      expect(await sessionStatus(refused.id)).toBe('pending');
      expect((await storedAndRecomputed(refused.payment_collection_id)).status).toBe('awaiting');
      expect(await eventsOf(refused.id)).toEqual([]);

      const a = fulfilled(answers[0]);
      const b = fulfilled(answers[2]);
      expect(a).toMatchObject({ created: true, captured: '14', collection_status: 'completed' });
      expect(b).toMatchObject({ created: true, captured: '15', collection_status: 'completed' });
      for (const s of [first, last]) {
        expect(await payments.service.listPayments({ payment_session_id: s.id })).toHaveLength(1);
        expect(await sessionStatus(s.id)).toBe('captured');
        expect((await storedAndRecomputed(s.payment_collection_id)).status).toBe('completed');
        expect((await eventsOf(s.id)).map((e) => e.name)).toEqual(['payment.authorized', 'payment.captured']);
      }
      // Written alone: two transactions.
      expect(new Set(await writers('payment', [a.payment.id, b.payment.id])).size).toBe(2);
      // Whichever batch the refused payment went in was written again one by one, and only it failed.
      for (const warning of warnings.filter((w) => w.msg === SHARED_FAILED)) {
        expect(warning.err?.message).toContain('refused by a test trigger');
      }
    } finally {
      await em.execute('drop trigger refuse_13_13 on payment', [], 'run');
      await em.execute('drop function refuse_13_13()', [], 'run');
    }
  });

  it('concurrent calls over overlapping sessions, in different orders: no deadlock, one payment per session, one creator each', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, b, c, d, e] = await Promise.all(['10', '11', '12', '13', '14'].map((amount) => pendingSession(amount)));
      const { collection: split, sessions } = await collectionWith('40', ['20', '20']);
      const [f1, f2] = sessions as [PaymentSessionDTO, PaymentSessionDTO];
      const lists = [
        [a!, b!, c!, f1],
        [c!, b!, d!, f2],
        [e!, d!, a!, f2, f1],
        [f1, c!, e!, b!],
      ];
      const calls = await Promise.all(
        lists.map((list) => authorizeTogether(list.map((s) => ({ session_id: s.id, status: 'captured', capture: {} })))),
      );

      const answers = new Map<string, WebhookAuthorizationResult[]>();
      calls.forEach((call, n) => {
        call.forEach((result, i) => {
          const id = lists[n]![i]!.id;
          answers.set(id, [...(answers.get(id) ?? []), fulfilled(result)]);
        });
      });
      for (const s of [a!, b!, c!, d!, e!, f1, f2]) {
        const list = await payments.service.listPayments({ payment_session_id: s.id });
        expect(list).toHaveLength(1);
        expect(list[0]!.captures.map((k) => k.amount)).toEqual([normalizeAmount(s.amount)]);
        const mine = answers.get(s.id)!;
        expect(mine.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(mine.map((r) => r.payment.id))).toEqual(new Set([list[0]!.id]));
        expect((await eventsOf(s.id)).map((ev) => ev.name)).toEqual(['payment.authorized', 'payment.captured']);
        expect(await sessionStatus(s.id)).toBe('captured');
        if (s.payment_collection_id !== split.id) {
          expect((await storedAndRecomputed(s.payment_collection_id)).status).toBe('completed');
        }
      }
      expect(await storedAndRecomputed(split.id)).toMatchObject({
        authorized_amount: '40',
        captured_amount: '40',
        status: 'completed',
      });
      events = [];
    }
    // The collections are locked in one order: no shared transaction deadlocked (and fell back to writing each alone).
    expect(warnings.filter((w) => w.msg === SHARED_FAILED).map((w) => w.err?.message)).toEqual([]);
  });

  it('authorizations written together leave exactly what the same requests one by one leave', async () => {
    /**
     * The same setup each time: collections with earlier payments, a split, a gateway with no status call, a repeat, a bad
     * amount, three decimals and a capture reported above the amount.
     */
    async function scenario() {
      const service = payments.service;
      const { collection: x, sessions: xs } = await collectionWith('100.00', ['30.00', '60.00', '40.00']);
      const canceled = await service.authorizePaymentSession(xs[0]!.id);
      await service.cancelPayment(canceled.id);
      await service.authorizePaymentSession(xs[1]!.id);
      const { collection: y, sessions: ys } = await collectionWith('50.00');
      const { collection: z, sessions: zs } = await collectionWith('12.00', ['12.00'], CALLBACK_ONLY);
      const { collection: w, sessions: ws } = await collectionWith('30.00');
      const { collection: v, sessions: vs } = await collectionWith('80.00', ['40.00', '40.00']);
      const { collection: u, sessions: us } = await collectionWith('9.00');
      const { collection: k, sessions: ks } = await collectionWith('10.125', ['10.125'], SYSTEM, 'kwd');
      const { collection: o, sessions: os } = await collectionWith('15.00');
      const { collection: r, sessions: rs } = await collectionWith('7.00', ['7.00'], CALLBACK_ONLY);
      const requests: AuthorizationRequest[] = [
        { session_id: xs[2]!.id, status: 'captured', capture: { amount: '40' } },
        { session_id: ys[0]!.id, status: 'captured', capture: { amount: '20', reference: 'ch_1' } },
        { session_id: zs[0]!.id, status: 'captured', capture: {} },
        { session_id: ws[0]!.id, status: 'authorized' },
        { session_id: vs[0]!.id, status: 'captured', capture: { amount: '40' } },
        { session_id: vs[1]!.id, status: 'captured', capture: { amount: '40' } },
        { session_id: ys[0]!.id, status: 'captured', capture: { amount: '20', reference: 'ch_1' } },
        { session_id: us[0]!.id, status: 'captured', capture: { amount: '-5' } },
        { session_id: ks[0]!.id, status: 'captured', capture: { amount: '4.005' } },
        { session_id: os[0]!.id, status: 'captured', capture: { amount: '999' } },
        { session_id: rs[0]!.id, status: 'captured', capture: { amount: '5', reference: 'cb_1' } },
      ];
      return {
        requests,
        collections: [x, y, z, w, v, u, k, o, r].map((c) => c.id),
        sessions: [...xs, ...ys, ...zs, ...ws, ...vs, ...us, ...ks, ...os, ...rs].map((s) => s.id),
      };
    }

    async function outcome(
      setup: Awaited<ReturnType<typeof scenario>>,
      answers: PromiseSettledResult<WebhookAuthorizationResult>[],
    ) {
      const payment = async (id: string) => {
        const p = await payments.service.retrievePayment(id);
        return {
          amount: p.amount,
          captured_amount: p.captured_amount,
          captures: p.captures.map((c) => [c.amount, c.status, c.source]),
          captured: p.captured_at !== null,
          canceled: p.canceled_at !== null,
          provider_id: p.provider_id,
        };
      };
      return {
        answers: answers.map((r) =>
          r.status === 'rejected'
            ? { rejected: (r.reason as TenderError).type }
            : {
                created: r.value.created,
                captured: r.value.captured,
                collection_status: r.value.collection_status,
                amount: r.value.payment.amount,
                captured_amount: r.value.payment.captured_amount,
                captures: r.value.payment.captures.map((c) => c.amount),
              },
        ),
        collections: await Promise.all(setup.collections.map(storedAndRecomputed)),
        sessions: await Promise.all(
          setup.sessions.map(async (id) => ({
            status: await sessionStatus(id),
            payments: await Promise.all(
              (await payments.service.listPayments({ payment_session_id: id })).map((p) => payment(p.id)),
            ),
            events: (await eventsOf(id)).map(({ name, amount }) => ({ name, amount })),
          })),
        ),
      };
    }

    const batch = await scenario();
    events = [];
    const together = await outcome(batch, await authorizeTogether(batch.requests));

    const single = await scenario();
    events = [];
    const oneByOne: PromiseSettledResult<WebhookAuthorizationResult>[] = [];
    for (const { session_id, ...input } of single.requests) {
      oneByOne.push(
        await payments.service.applyWebhookAuthorization(session_id, input).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
      );
    }
    const alone = await outcome(single, oneByOne);

    expect(together).toEqual(alone);
    // The scenario covers what it means to: a bad amount, a repeat, the gateway's own capture, a split completing its collection.
    expect(together.answers.map((a) => ('rejected' in a ? a.rejected : a.created))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      'invalid_data',
      true,
      true,
      true,
    ]);
    expect(together.collections.map((c) => c.status)).toEqual([
      'partially_captured',
      'partially_captured',
      'completed',
      'authorized',
      'completed',
      'awaiting',
      'partially_captured',
      'completed',
      // A gateway with no status call reported 5.00 of 7.00: only that much is proven.
      'partially_captured',
    ]);
  });
});
