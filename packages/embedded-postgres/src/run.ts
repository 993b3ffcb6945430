import { spawn } from 'node:child_process';

export interface RunAs {
  uid?: number;
  gid?: number;
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a tool to completion and collects stdout and stderr. A spawn failure (EACCES, ENOENT) is an
 * ordinary result, never an unhandled 'error' event.
 */
export function run(
  file: string,
  args: string[],
  options: RunAs & { cwd: string; onStart?: (pid: number) => void; onLog?: (line: string) => void },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      // The messages are parsed into one-line errors: keep them in English.
      env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      options.onLog?.(chunk.toString());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('spawn', () => child.pid && options.onStart?.(child.pid));
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, output: `${output}\n${error.message}` }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Whether `user` can `test -<test>` the path: as root, this is what the `postgres` user will be able to do. */
export async function canAccess(user: RunAs, path: string, test: 'x' | 'r' | 'w'): Promise<boolean> {
  const result = await run('/bin/sh', ['-c', `test -${test} "$1"`, 'sh', path], { ...user, cwd: '/' });
  return result.code === 0;
}
