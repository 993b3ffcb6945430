import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPaymentModule, type TestPaymentModule, writeEvents } from '@tender/payment-module/testing';
import { eventsCommand } from '../src/commands/events.js';

let payments: TestPaymentModule;
let dead: string;

beforeAll(async () => {
  payments = await createTestPaymentModule({
    worker: false,
    outbox: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, pollIntervalMs: 20 },
  });
  payments.events.subscribe(
    'test.cli',
    () => {
      throw new Error('mailer down');
    },
    { name: 'mailer' },
  );
  [dead] = await writeEvents(payments, [{ name: 'test.cli', data: { n: 1 } }]);
  for (let i = 0; i < 200 && (await payments.events.retrieve(dead!)).status !== 'dead'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
afterAll(async () => {
  await payments?.close();
});

async function tender(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const out = { line: (text: string) => void lines.push(text), error: (text: string) => void lines.push(text) };
  const code = await eventsCommand.run([...argv, '--database-url', payments.databaseUrl], {
    out: out as never,
    verbose: false,
    cwd: process.cwd(),
  });
  return { code, lines };
}

describe('tender events', () => {
  it('list --status dead shows the event, its subscriber gave up, and the outbox counts', async () => {
    const { code, lines } = await tender('list', '--status', 'dead');
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^Undelivered: 0, .*dead: mailer 1$/);
    expect(lines.join('\n')).toContain(dead);
    expect(lines.join('\n')).toContain('mailer:dead(2)');
  });

  it('show prints each subscriber state with its error', async () => {
    const { lines } = await tender('show', dead);
    expect(lines.join('\n')).toMatch(/mailer: dead, 2 attempt\(s\), .*mailer down/);
  });

  it('replay queues it again with fresh attempts', async () => {
    const { code, lines } = await tender('replay', dead, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ id: dead, status: 'pending', deliveries: {} });
  });
});
