import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@tender/payment-module/testing';
import { REPO_ROOT } from '../support/cli/run-cli.js';

// The payment module's README lists the files one webhook runs through ("The path of one webhook"). This
// holds it to the code: a child process sends that webhook to the built packages under V8's coverage
// (`npm test` builds them first) and reports the files that ran, three webhooks in a row.

const README = join(REPO_ROOT, 'packages/payment-module/README.md');
const TRACER = join(REPO_ROOT, 'integration-tests/support/webhook-path/trace-one-webhook.mjs');

/**
 * Every `.ts` file the section names, as a path from the repository's root. A name written from `packages/`
 * or `examples/` is whole; any other is relative to the `src/` of its stop's first file.
 */
function filesNamedByReadme(): string[] {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf('## The path of one webhook');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const named = new Set<string>();
  let base: string | undefined;
  for (const paragraph of section.split(/\n(?=\d+\. |\n)/)) {
    base = undefined;
    for (const [, name] of paragraph.matchAll(/`([^`\s]+\.ts)`/g)) {
      if (name!.startsWith('integration-tests/')) continue;
      const whole = /^(packages|examples)\/[a-z-]+\/src\//.exec(name!);
      if (whole) {
        base ??= whole[0];
        named.add(name!);
      } else {
        if (!base) throw new Error(`"${name}" in the README's path section has no stop file before it to be relative to.`);
        named.add(base + name);
      }
    }
  }
  return [...named].sort();
}

let database: TestDatabase;
let runs: string[][];

beforeAll(async () => {
  database = await createTestDatabase('tender_webhook_path');
  const { stdout } = await promisify(execFile)(process.execPath, [TRACER], {
    env: { ...process.env, DATABASE_URL: database.url },
    timeout: 60_000,
  });
  runs = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
}, 90_000);
afterAll(async () => {
  await database?.drop();
});

describe('"The path of one webhook" in the payment module README', () => {
  it('names every file that runs for the webhook, every time', () => {
    expect(runs).toHaveLength(3);
    const always = runs.reduce((kept, run) => kept.filter((file) => run.includes(file)));
    expect(always.length).toBeGreaterThan(30);
    const named = new Set(filesNamedByReadme());
    expect(always.filter((file) => !named.has(file))).toEqual([]);
  });

  it('names no file that does not run for it', () => {
    const ran = new Set(runs.flat());
    expect(filesNamedByReadme().filter((file) => !ran.has(file))).toEqual([]);
  });

  it('has at most 12 stops, each a file of its own', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## The path of one webhook'));
    const stops = [...section.slice(0, section.indexOf('\n## ', 1)).matchAll(/^\d+\. `([^`]+\.ts)`/gm)].map((m) => m[1]);
    expect(stops.length).toBeLessThanOrEqual(12);
    expect(new Set(stops).size).toBe(stops.length);
  });
});
