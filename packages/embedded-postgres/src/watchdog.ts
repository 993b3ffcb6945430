import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { platform } from 'node:os';

/**
 * Stops the server and removes a temporary data directory once this process is gone, however it ends
 * (SIGTERM with no handler, SIGKILL, a crash): a detached shell blocks reading a pipe whose only writer
 * is this process, so it reads end-of-file exactly when this process exits or stop() has finished.
 * Nothing is installed in this process: no signal or exit listener decides how the host shuts down.
 */
const SCRIPT = `
tool=
while read -r word pid; do
  case "$word" in tool) tool="$pid" ;; released) exit 0 ;; esac
done
server=$(head -n 1 "$1/postmaster.pid" 2>/dev/null)
for p in $tool $server; do [ "$p" != - ] && kill -INT "$p" 2>/dev/null; done
i=0
while [ $i -lt 150 ]; do
  alive=
  for p in $tool $server; do [ "$p" != - ] && kill -0 "$p" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && break
  sleep 0.1; i=$((i + 1))
done
for p in $tool $server; do [ "$p" != - ] && kill -KILL "$p" 2>/dev/null; done
[ -n "$2" ] && rm -rf "$2"
exit 0
`;

export interface Watchdog {
  /** The pid of a short-lived tool (initdb) to stop too, or undefined once it has ended. */
  tool(pid: number | undefined): void;
  /** This process cleaned up itself: the watchdog finds nothing to do and exits. */
  release(): void;
}

export function startWatchdog(dataDir: string, removeOnExit: string | undefined): Watchdog {
  if (platform() === 'win32') return { tool() {}, release() {} };
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'tender-pg-watchdog', dataDir, removeOnExit ?? ''], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  // Neither the watchdog nor its pipe keeps this process alive.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  return {
    tool: (pid) => child.stdin.write(`tool ${pid ?? '-'}\n`),
    release: () => child.stdin.end('released\n'),
  };
}
