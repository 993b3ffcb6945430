import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { PaymentModuleService } from '@tender/payment-module';
import { createSystemWebhook } from '@tender/provider-system/testing';
import type { PostgresCartStore } from '@tender/reference-cart';
import pg from 'pg';

const WORKER_SCRIPT = fileURLToPath(new URL('../worker-process.mjs', import.meta.url));

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with RELIABILITY_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runSeed(): number {
  return process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : Math.floor(Math.random() * 2 ** 31);
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

export interface CheckoutSession {
  collectionId: string;
  sessionId: string;
  cartId: string;
  amount: string;
}

/** What a checkout creates, `count` times: a collection, a system-provider session and a cart. */
export async function createCheckouts(
  service: PaymentModuleService,
  carts: PostgresCartStore,
  count: number,
  random: () => number,
): Promise<CheckoutSession[]> {
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    8,
    async () => {
      const amount = `${1 + Math.floor(random() * 500)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
      const collection = await service.createPaymentCollections({ currency_code: 'usd', amount });
      const session = await service.createPaymentSession(collection.id, {
        provider_id: 'pp_system_default',
        amount,
        currency_code: 'usd',
      });
      const cart = await carts.createCart(collection.id);
      return { collectionId: collection.id, sessionId: session.id, cartId: cart.id, amount };
    },
  );
}

export interface Delivery {
  eventId: string;
  type: 'payment.authorized' | 'payment.captured';
  sessionId: string;
  amount: string;
  /** A redelivery of an event id already in the list (the provider retrying). */
  duplicate: boolean;
}

/**
 * Five deliveries per session: the authorization, the capture, a redelivery of each, and one more that is
 * either another redelivery or a second capture event (a new id reporting the same running total).
 */
export function planDeliveries(sessions: CheckoutSession[], random: () => number): Delivery[] {
  const deliveries: Delivery[] = [];
  sessions.forEach((s, i) => {
    const auth = { eventId: `evt_rel_${i}_auth`, type: 'payment.authorized' as const, sessionId: s.sessionId, amount: s.amount };
    const capture = { eventId: `evt_rel_${i}_cap`, type: 'payment.captured' as const, sessionId: s.sessionId, amount: s.amount };
    deliveries.push({ ...auth, duplicate: false }, { ...capture, duplicate: false });
    deliveries.push({ ...auth, duplicate: true }, { ...capture, duplicate: true });
    const pick = random();
    if (pick < 1 / 3) deliveries.push({ ...auth, duplicate: true });
    else if (pick < 2 / 3) deliveries.push({ ...capture, duplicate: true });
    else deliveries.push({ ...capture, eventId: `evt_rel_${i}_cap2`, duplicate: false });
  });
  return shuffle(deliveries, random);
}

export interface SendStats {
  sent: number;
  accepted: number;
  duplicates: number;
  /** 5xx answers and connection failures met (each was retried). */
  retried: number;
  status5xx: number;
  status503: number;
  rejected: number;
  failedForGood: number;
}

export function emptySendStats(): SendStats {
  return { sent: 0, accepted: 0, duplicates: 0, retried: 0, status5xx: 0, status503: 0, rejected: 0, failedForGood: 0 };
}

/**
 * Sends one delivery as a provider does: signed (each attempt re-signed, as Stripe does), and retried
 * with exponential backoff on a 5xx or a connection failure, a bounded number of times.
 */
export async function deliver(
  url: string,
  secret: string,
  delivery: Delivery,
  stats: SendStats,
  options: { maxAttempts?: number; baseDelayMs?: number } = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 12;
  const base = options.baseDelayMs ?? 50;
  stats.sent++;
  for (let attempt = 1; ; attempt++) {
    const webhook = createSystemWebhook({
      secret,
      id: delivery.eventId,
      type: delivery.type,
      session_id: delivery.sessionId,
      amount: delivery.amount,
      currency_code: 'usd',
    });
    let status = 0;
    let outcome: string | undefined;
    try {
      const response = await fetch(url, { method: 'POST', headers: webhook.headers, body: webhook.rawBody });
      status = response.status;
      const body = (await response.json().catch(() => ({}))) as { outcome?: string };
      outcome = body.outcome;
    } catch {
      status = 0; // connection refused or reset: the provider sees it as a failed delivery
    }
    if (status === 200) {
      if (outcome === 'duplicate') stats.duplicates++;
      else stats.accepted++;
      return;
    }
    if (status >= 400 && status < 500) {
      stats.rejected++;
      throw new Error(`delivery ${delivery.eventId} was rejected with ${status}`);
    }
    if (status >= 500) stats.status5xx++;
    if (status === 503) stats.status503++;
    if (attempt >= maxAttempts) {
      stats.failedForGood++;
      throw new Error(`delivery ${delivery.eventId} still failing after ${attempt} attempts (last status ${status})`);
    }
    stats.retried++;
    await sleep(Math.min(2000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
  }
}

/** Worker processes (`startWorker()` in a child), which the suite can SIGKILL and replace. */
export class WorkerFleet {
  readonly live = new Set<ChildProcess>();
  started = 0;
  kills = 0;
  unexpectedExits: string[] = [];
  private readonly killed = new WeakSet<ChildProcess>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly onOutput?: (line: string) => void,
  ) {}

  /** Starts one worker and resolves once it is polling. */
  async spawn(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [WORKER_SCRIPT], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.started++;
    this.live.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 1500) stderr = (stderr + chunk.toString()).slice(0, 1500);
    });
    child.once('exit', (code, signal) => {
      this.live.delete(child);
      if (!this.killed.has(child)) this.unexpectedExits.push(`worker ${child.pid} exited (${code ?? signal}): ${stderr.trim()}`);
    });
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const line of buffer.split('\n')) this.onOutput?.(line);
        if (buffer.includes('READY ')) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
    });
    return child;
  }

  async spawnMany(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.spawn()));
  }

  /** SIGKILLs one live worker (chosen by `random`) and waits until it is gone. */
  async killOne(random: () => number): Promise<void> {
    const candidates = [...this.live];
    if (candidates.length === 0) return;
    const victim = candidates[Math.floor(random() * candidates.length)]!;
    this.killed.add(victim);
    const exited = once(victim, 'exit');
    victim.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.live].map(async (child) => {
        this.killed.add(child);
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
  }
}

export interface InboxState {
  total: number;
  settled: number;
  dead: number;
  byStatus: Record<string, number>;
}

export async function inboxState(db: pg.Pool): Promise<InboxState> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from webhook_event group by status',
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return { total, settled: (byStatus.processed ?? 0) + (byStatus.ignored ?? 0), dead: byStatus.dead ?? 0, byStatus };
}

/** Waits until the inbox holds `expected` rows and all of them are processed or ignored (or any is dead). */
export async function waitForSettled(db: pg.Pool, expected: number, timeoutMs: number, fleet?: WorkerFleet): Promise<InboxState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fleet?.unexpectedExits.length) throw new Error(`a worker process died:\n${fleet.unexpectedExits.join('\n')}`);
    let state: InboxState | undefined;
    try {
      state = await inboxState(db);
    } catch {
      // the database may be restarting
    }
    if (state && ((state.total >= expected && state.settled === state.total) || state.dead > 0)) return state;
    if (Date.now() > deadline) {
      throw new Error(`inbox not settled after ${timeoutMs} ms: ${JSON.stringify(state)}`);
    }
    await sleep(100);
  }
}

export interface Outcome {
  sessions: number;
  /** Sessions with anything other than one payment, one succeeded capture of the amount and one order. */
  wrong: { session_id: string; payments: number; captures: number; captured: string; amount: string; orders: number }[];
  payments: number;
  captures: number;
  orders: number;
  completedCollections: number;
  inboxRows: number;
  unsettledRows: number;
  /** Event ids a provider had acknowledged but the inbox does not hold. */
  lost: string[];
  /** Outbox rows of each paid checkout's domain events, by name (written with the changes they describe). */
  domainEvents: Record<(typeof CHECKOUT_EVENTS)[number], number>;
  /** Collections without exactly one of each of those events. */
  eventsWrong: { collection: string; name: string; n: number }[];
}

/** The domain events every paid, captured and completed checkout has exactly one of. */
export const CHECKOUT_EVENTS = ['payment.authorized', 'payment.captured', 'cart.completed'] as const;

/** Reads the final state straight from the tables. */
export async function readOutcome(db: pg.Pool, sessions: CheckoutSession[], sentEventIds: Set<string>): Promise<Outcome> {
  const ids = sessions.map((s) => s.sessionId);
  const { rows } = await db.query<Outcome['wrong'][number]>(
    `select s.id as session_id, s.amount::text as amount,
            (select count(*)::int from payment p where p.payment_session_id = s.id) as payments,
            (select count(*)::int from capture k join payment p on p.id = k.payment_id
              where p.payment_session_id = s.id and k.status = 'succeeded') as captures,
            (select coalesce(sum(k.amount), 0)::text from capture k join payment p on p.id = k.payment_id
              where p.payment_session_id = s.id and k.status = 'succeeded') as captured,
            (select count(*)::int from "order" o join cart c on c.id = o.cart_id
              where c.payment_collection_id = s.payment_collection_id) as orders
       from payment_session s where s.id = any($1)`,
    [ids],
  );
  const wrong = rows.filter(
    (r) => r.payments !== 1 || r.captures !== 1 || Number(r.captured) !== Number(r.amount) || r.orders !== 1,
  );
  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const stored = new Set(
    (await db.query<{ event_id: string }>("select event_id from webhook_event where provider_id = 'pp_system_default'")).rows.map(
      (r) => r.event_id,
    ),
  );
  return {
    sessions: rows.length,
    wrong,
    payments: await count('select count(*)::int as n from payment'),
    captures: await count("select count(*)::int as n from capture where status = 'succeeded'"),
    orders: await count('select count(*)::int as n from "order"'),
    completedCollections: await count("select count(*)::int as n from payment_collection where status = 'completed'"),
    inboxRows: stored.size,
    unsettledRows: await count("select count(*)::int as n from webhook_event where status not in ('processed', 'ignored')"),
    lost: [...sentEventIds].filter((id) => !stored.has(id)),
    ...(await readDomainEvents(db, sessions)),
  };
}

async function readDomainEvents(
  db: pg.Pool,
  sessions: CheckoutSession[],
): Promise<Pick<Outcome, 'domainEvents' | 'eventsWrong'>> {
  const { rows } = await db.query<{ collection: string; name: string; n: number }>(
    `select c.id as collection, e.name, count(o.id)::int as n
       from unnest($1::text[]) as c(id) cross join unnest($2::text[]) as e(name)
       left join outbox_event o on o.payment_collection_id = c.id and o.name = e.name
      group by c.id, e.name`,
    [sessions.map((s) => s.collectionId), [...CHECKOUT_EVENTS]],
  );
  const domainEvents = Object.fromEntries(CHECKOUT_EVENTS.map((name) => [name, 0])) as Outcome['domainEvents'];
  for (const row of rows) domainEvents[row.name as (typeof CHECKOUT_EVENTS)[number]] += row.n;
  return { domainEvents, eventsWrong: rows.filter((r) => r.n !== 1) };
}

export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => {}); // an idle connection cut by a restart is simply discarded
  return pool;
}

export function report(title: string, counts: Record<string, number | string>): void {
  const lines = Object.entries(counts).map(([k, v]) => `  ${k.padEnd(28)} ${v}`);
  process.stdout.write(`\n[reliability] ${title}\n${lines.join('\n')}\n`);
}
