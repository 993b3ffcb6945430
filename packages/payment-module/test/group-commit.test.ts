import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from '../src/concurrency/group-commit.js';

/** A write that takes a turn of the event loop, like a database round trip, and logs each batch. */
function recordingWrite(batches: number[][], fail?: (items: number[]) => boolean) {
  return async (items: number[]) => {
    batches.push([...items]);
    await new Promise((resolve) => setImmediate(resolve));
    if (fail?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((n) => n * 10);
  };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, on its own', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(recordingWrite(batches));
    expect(await group.submit(1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it('gathers what arrives while a write is in flight into the next write, answering each caller with its own result', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(recordingWrite(batches));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => group.submit(i)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(batches).toEqual([[0], Array.from({ length: 19 }, (_, i) => i + 1)]);
    expect(group.batches).toBe(2);
  });

  it('never writes more than maxBatch items at a time', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(recordingWrite(batches), 8);
    await Promise.all(Array.from({ length: 30 }, (_, i) => group.submit(i)));
    expect(batches.map((b) => b.length)).toEqual([1, 8, 8, 8, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("a failed write fails only its own batch's callers, and later items are still written", async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(
      recordingWrite(batches, (items) => items.includes(0)),
      4,
    );
    const settled = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => group.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((settled[0] as PromiseRejectedResult).reason.message).toBe('batch 0 failed');
    await group.flushed();
    expect(await group.submit(7)).toBe(70);
  });

  it('refuses a write that does not answer every item', async () => {
    const group = new GroupCommit(async (items: number[]) => items.slice(1));
    await expect(Promise.all([group.submit(1), group.submit(2), group.submit(3)])).rejects.toThrow(
      'group commit: 0 results for a batch of 1',
    );
  });
});
