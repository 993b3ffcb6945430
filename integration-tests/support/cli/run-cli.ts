import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm test` has built packages/cli/dist/bin.js. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI child: ours minus the variables that would change which config or database it uses. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, PORT: _port, TENDER_ENCRYPTION_KEY: _key, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = { ...rest, TENDER_LOG_LEVEL: 'silent' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Runs `node packages/cli/dist/bin.js …` to completion, as a user's shell would. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliRun> {
  return runNode(CLI_BIN, args, { ...options, label: `tender ${args.join(' ')}` });
}

/** Runs `node script …` to completion with the CLI's environment (see `cliEnv`), collecting its output. */
export function runNode(
  script: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; label?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const label = options.label ?? `node ${script} ${args.join(' ')}`;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not finish in ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running CLI process (tender dev) whose output is collected as it arrives. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    child,
    output: () => `${stdout}${stderr ? `\n[stderr]\n${stderr}` : ''}`,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = stdout.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`tender ${args.join(' ')} never printed ${pattern}:\n${stdout}\n${stderr}`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface ProjectDir {
  path: string;
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A directory outside the repository, as a user's project would be, whose node_modules is the repo's:
 * a tender.config.ts or an app written there imports @tender/* exactly as an installed project would.
 */
export async function createProjectDir(): Promise<ProjectDir> {
  const path = await mkdtemp(join(tmpdir(), 'tender-cli-test-'));
  await symlink(join(REPO_ROOT, 'node_modules'), join(path, 'node_modules'), 'dir');
  return {
    path,
    async write(name, content) {
      const file = join(path, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Parses the JSON a `--json` command printed, with the output in the error when it is not JSON. */
export function parseJson<T = any>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${run.stdout}\n[stderr]\n${run.stderr}`);
  }
}
