import { describe, expect, it } from '@jest/globals';
import { Progress } from '../src/demo/progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 40, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('the demo progress line', () => {
  it('rewrites one line in place on a terminal, and erases it before other output', () => {
    const { writes, stream: tty } = stream(true);
    const progress = new Progress(tty, 3);
    progress.update('starting the embedded PostgreSQL');
    progress.update('a step with a description much longer than the terminal is wide');
    progress.clear();
    expect(writes).toEqual([
      '\r\x1b[2K[1/3] starting the embedded PostgreSQL',
      '\r\x1b[2K[2/3] a step with a description much lo', // cut to the 40-column terminal
      '\r\x1b[2K',
    ]);
    expect(writes.join('')).not.toContain('\n');
  });

  it('prints plain lines when the output is not a terminal (CI logs, files)', () => {
    const { writes, stream: pipe } = stream(false);
    const progress = new Progress(pipe, 2);
    progress.update('one');
    progress.update('two');
    progress.clear();
    expect(writes).toEqual(['… [1/2] one\n', '… [2/2] two\n']);
  });
});
