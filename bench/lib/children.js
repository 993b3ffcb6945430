import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Starts `lib/<script>` in a child process and resolves with what it prints after `READY `. */
export async function startChild(script, env) {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const ready = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(line.slice('READY '.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    ready,
    child,
    /** What the child's `countStatements()` has counted so far. */
    async statementCounts() {
      const answer = new Promise((resolve) => {
        const listener = (message) => {
          if (!message?.statementCounts) return;
          child.off('message', listener);
          resolve(message.statementCounts);
        };
        child.on('message', listener);
      });
      child.send('statement-counts');
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
