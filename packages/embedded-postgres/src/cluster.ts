import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Binaries } from './binaries.js';
import { EmbeddedPostgresError, lastMeaningfulLine, USE_YOUR_OWN } from './errors.js';
import { type RunAs, run } from './run.js';

export interface Cluster {
  binaries: Binaries;
  user: RunAs;
  /** Holds `data/`, the server's log and, briefly, the password file; owned by the user postgres runs as. */
  home: string;
  port: number;
  maxConnections: number;
  onLog?: (line: string) => void;
  /** Told the pid of each tool while it runs, so a watchdog can stop it if this process dies meanwhile. */
  onTool?: (pid: number | undefined) => void;
}

export const dataDirOf = (cluster: Pick<Cluster, 'home'>) => join(cluster.home, 'data');
const logFileOf = (cluster: Cluster) => join(cluster.home, 'postgres.log');

async function tool(cluster: Cluster, file: string, args: string[]) {
  try {
    return await run(file, args, { ...cluster.user, cwd: cluster.home, onStart: cluster.onTool, onLog: cluster.onLog });
  } finally {
    cluster.onTool?.(undefined);
  }
}

/** Creates the cluster; `passwordFile` holds the password of the `postgres` role. */
export async function initdb(cluster: Cluster, passwordFile: string): Promise<void> {
  const { code, output } = await tool(cluster, cluster.binaries.initdb, [
    `--pgdata=${dataDirOf(cluster)}`,
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--no-locale',
    '--no-instructions',
  ]);
  if (code !== 0) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL could not create its database (initdb: ${lastMeaningfulLine(output)}), ${USE_YOUR_OWN}.`,
      'failed',
    );
  }
}

export async function startServer(cluster: Cluster): Promise<void> {
  // TCP on 127.0.0.1 only: no Unix socket, so instances never share a socket name in /tmp.
  const serverOptions = [
    `-p ${cluster.port}`,
    "-c listen_addresses='127.0.0.1'",
    "-c unix_socket_directories=''",
    `-c max_connections=${cluster.maxConnections}`,
  ].join(' ');
  const { code, output } = await tool(cluster, cluster.binaries.pgCtl, [
    'start',
    '--wait',
    '--timeout=60',
    '--silent',
    `--pgdata=${dataDirOf(cluster)}`,
    `--log=${logFileOf(cluster)}`,
    `--options=${serverOptions}`,
  ]);
  if (code === 0) return;
  const log = await readFile(logFileOf(cluster), 'utf8').catch(() => '');
  const reason = lastMeaningfulLine(log) || lastMeaningfulLine(output);
  if (/lock file .* already exists|another server might be running/i.test(`${log}\n${output}`)) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL's data in ${cluster.home} is in use by another running server: stop it (another \`tender dev\`?) or use another folder.`,
      'in_use',
    );
  }
  throw new EmbeddedPostgresError(`the embedded PostgreSQL did not start (${reason}), ${USE_YOUR_OWN}.`, 'failed');
}

/** A fast shutdown: open connections are cut, nothing committed is lost. */
export async function stopServer(cluster: Cluster): Promise<void> {
  await tool(cluster, cluster.binaries.pgCtl, ['stop', '--wait', '--silent', '--mode=fast', `--pgdata=${dataDirOf(cluster)}`]);
}
