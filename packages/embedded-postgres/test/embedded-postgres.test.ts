import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '@tender/embedded-postgres';
import pg from 'pg';

/**
 * A temp dir of its own for a test that checks nothing is left in it: other test files start embedded
 * databases in the shared one at the same time. Readable by all, as /tmp is, for root's postgres.
 */
async function ownTmpdir(): Promise<{ path: string; databases(): string[]; restore(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'tender-tmpdir-'));
  await chmod(path, 0o755);
  return {
    path,
    // A copy of the binaries may stay there (made when they sit in a private directory): it is a cache.
    databases: () => readdirSync(path).filter((name) => name.startsWith('tender-pg-')),
    restore: () => rm(path, { recursive: true, force: true }),
  };
}

async function select(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const SIGNAL_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException'] as const;
const listenerCounts = () => SIGNAL_EVENTS.map((event) => process.listenerCount(event));

describe('a temporary embedded PostgreSQL', () => {
  it('serves its URL, installs no process listener, and stop() removes its folder', async () => {
    const listeners = listenerCounts();
    const db = await startEmbeddedPostgres();
    try {
      expect(db.persistent).toBe(false);
      expect(await select(db.url, "select current_setting('server_encoding') as encoding")).toEqual([{ encoding: 'UTF8' }]);
      // Nothing decides for the host what SIGTERM does (a hook here made startWorker() exit 143 mid-event).
      expect(listenerCounts()).toEqual(listeners);
      expect(existsSync(db.dataDir)).toBe(true);
    } finally {
      await db.stop();
    }
    expect(existsSync(db.dataDir)).toBe(false);
    await db.stop(); // twice is harmless
  });

  describe('that cannot start', () => {
    let busy: Server;
    let port: number;
    beforeAll(async () => {
      busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      port = (busy.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => busy.close(resolve));
    });

    it('says why in one line and leaves nothing in the temp dir', async () => {
      const own = await ownTmpdir();
      const failure = await startEmbeddedPostgres({ port, tempDir: own.path }).catch((error: unknown) => error);
      const left = own.databases();
      await own.restore();
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      const { message, code } = failure as EmbeddedPostgresError;
      expect(code).toBe('failed');
      expect(message).toMatch(
        /^the embedded PostgreSQL did not start \(.*(could not|Address already in use).*\), or set DATABASE_URL/,
      );
      expect(message).not.toContain('\n');
      expect(left).toEqual([]);
    });
  });

  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('is stopped and removed when its process dies without calling stop()', async () => {
    const own = await ownTmpdir();
    try {
      const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      const script = `import { startEmbeddedPostgres } from ${JSON.stringify(entry)};
const db = await startEmbeddedPostgres({ tempDir: ${JSON.stringify(own.path)} });
console.log(db.dataDir);
setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const dataDir = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before starting`)));
      });
      expect(dataDir.startsWith(own.path)).toBe(true);
      child.kill('SIGKILL');
      const deadline = Date.now() + 20_000;
      while (existsSync(dataDir) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(own.databases()).toEqual([]);
    } finally {
      await own.restore();
    }
  }, 30_000);
});

describe('a persistent embedded PostgreSQL (a dataDir)', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tender-persistent-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('keeps its data between runs, refuses a second server on the same data, and starts over when fresh', async () => {
    // As root the server runs as `postgres`, which must reach the folder: a project folder, not a private one.
    await chmod(parent, 0o755);
    const dataDir = join(parent, 'project', '.tender', 'pg');
    const first = await startEmbeddedPostgres({ dataDir });
    await select(first.url, 'create table kept (n int); insert into kept values (42)');
    const second = await startEmbeddedPostgres({ dataDir }).catch((error: unknown) => error);
    expect(second).toMatchObject({ code: 'in_use' });
    expect((second as Error).message).toContain('is in use by another running server');
    await first.stop();
    expect(existsSync(join(dataDir, 'data', 'PG_VERSION'))).toBe(true);

    const again = await startEmbeddedPostgres({ dataDir });
    expect(await select(again.url, 'select n from kept')).toEqual([{ n: 42 }]);
    await again.stop();

    const fresh = await startEmbeddedPostgres({ dataDir, fresh: true });
    await expect(select(fresh.url, 'select n from kept')).rejects.toThrow('relation "kept" does not exist');
    await fresh.stop();
  }, 60_000);

  (process.getuid?.() === 0 ? it : it.skip)(
    'as root, refuses a folder the postgres user cannot reach, creating nothing there',
    async () => {
      const privateParent = await mkdtemp(join(tmpdir(), 'tender-private-'));
      try {
        const failure = await startEmbeddedPostgres({ dataDir: join(privateParent, '.tender', 'pg') }).catch((e: unknown) => e);
        expect(failure).toMatchObject({ code: 'unreachable' });
        expect((failure as Error).message).toMatch(
          /runs as the "postgres" user, which cannot reach .*\(a parent folder is private\)/,
        );
        expect(readdirSync(privateParent)).toEqual([]);
      } finally {
        await rm(privateParent, { recursive: true, force: true });
      }
    },
  );
});
