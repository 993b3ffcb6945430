import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import pg from 'pg';
import { type CliRun, parseJson, runCli } from '../../support/cli/run-cli.js';

const PROVIDERS = [
  'pp_system_default',
  'pp_stripe_stripe',
  'pp_hmac_acme',
  'pp_ifthenpay_mbway',
  'pp_ifthenpay_mb',
  'pp_easypay_mb',
];

describe('tender demo (as `npm run demo` runs it: embedded PostgreSQL, no DATABASE_URL)', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await runCli(['demo'], { timeoutMs: 170_000 });
  }, 180_000);

  it('exits 0 and says every checkout ended as expected', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All checkouts ended as expected: captured once, one order each.');
    expect(run.stdout).toContain('servers, emulators and database stopped');
  });

  it('prints a summary row per provider: captured, completed, the full amount, one order', () => {
    for (const provider of PROVIDERS) {
      const row = run.stdout.split('\n').find((line) => line.startsWith(`${provider} `));
      expect(row).toBeDefined();
      expect(row!.split(/\s{2,}/)).toEqual([
        provider,
        expect.stringMatching(/^\d+\.\d{2} (USD|EUR)$/),
        expect.any(String),
        expect.any(String),
        expect.any(String),
        expect.any(String),
        'captured',
        'completed',
        expect.stringMatching(/^\d+\.\d{2} (USD|EUR)$/),
        '1',
        'ok',
      ]);
      const cells = row!.split(/\s{2,}/);
      expect(cells[8]).toBe(cells[1]); // captured exactly the checkout amount
    }
    expect(run.stdout).toContain('Totals: 14 webhooks sent, 10 stored, 6 payments, 6 captures, 6 orders.');
  });

  it('shows the forged and the tampered deliveries refused, the duplicates acknowledged, the late failure and the reordering harmless', () => {
    const lines = run.stdout.split('\n');
    const timeline = (n: number) => lines.find((l) => l.startsWith(`${n} `))!;
    expect(timeline(3)).toMatch(/stripe_stripe\s+payment_intent\.succeeded\s+401 REFUSED\s+—\s+pending \/ awaiting\s+cart open/);
    expect(timeline(6)).toMatch(/200 duplicate\s+captured\s+captured \/ completed/);
    expect(timeline(7)).toMatch(/payment_intent\.payment_failed\s+200 accepted\s+failed\s+captured \/ completed/);
    expect(timeline(8)).toMatch(/hmac_acme\s+payment\.completed\s+200 accepted\s+captured\s+captured \/ completed/);
    expect(timeline(9)).toMatch(/hmac_acme\s+payment\.authorized\s+200 accepted\s+authorized\s+captured \/ completed/);
    expect(timeline(11)).toMatch(
      /ifthenpay_mb\s+Multibanco paid callback \(GET\)\s+400 invalid_data\s+—\s+pending \/ awaiting\s+cart open/,
    );
    expect(timeline(12)).toMatch(
      /ifthenpay_mb\s+Multibanco paid callback \(GET\)\s+200 accepted\s+captured\s+captured \/ completed/,
    );
    expect(timeline(14)).toMatch(/easypay_mb\s+capture notification\s+200 duplicate/);
  });

  it('writes plain progress lines when stdout is not a terminal', () => {
    expect(run.stdout).toMatch(/^… \[1\/\d+\] starting the embedded PostgreSQL$/m);
    expect(run.stdout).not.toContain('\x1b[');
  });
});

describe('tender demo --database-url --json', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('leaves exactly one payment, one capture and one order per checkout in the database it was given', async () => {
    const run = await runCli(['demo', '--database-url', database.url, '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const result = parseJson(run);
    expect(result.ok).toBe(true);
    expect(result.summary.problems).toEqual([]);
    expect(result.summary.checkouts.map((c: any) => [c.checkout.provider_id, c.final.session, c.final.orders])).toEqual(
      PROVIDERS.map((p) => [p, 'captured', 1]),
    );

    // Not only what the demo printed: the database it ran on agrees.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
      expect(await count('select count(*) as n from "order"')).toBe(6);
      expect(await count('select count(*) as n from payment')).toBe(6);
      expect(await count("select count(*) as n from capture where status = 'succeeded'")).toBe(6);
      expect(await count("select count(*) as n from payment_session where status = 'captured'")).toBe(6);
      expect(await count("select count(*) as n from webhook_event where status = 'processed'")).toBe(10);
    } finally {
      await client.end();
    }
  }, 130_000);
});
