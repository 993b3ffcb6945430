import { describe, expect, it } from '@jest/globals';
import { settleWithLimit } from '../src/concurrency/settle-with-limit.js';

describe('settleWithLimit', () => {
  it('runs at most `limit` calls at once and answers in item order, failures included', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await settleWithLimit(items, 3, async (n) => {
      running++;
      most = Math.max(most, running);
      // Later items finish sooner, so completion order differs from item order.
      await new Promise((resolve) => setTimeout(resolve, 20 - n));
      running--;
      if (n % 5 === 0) throw new Error(`item ${n} failed`);
      return n * 2;
    });
    expect(most).toBe(3);
    expect(results).toHaveLength(20);
    for (const [i, result] of results.entries()) {
      if (i % 5 === 0) expect(result).toEqual({ status: 'rejected', reason: new Error(`item ${i} failed`) });
      else expect(result).toEqual({ status: 'fulfilled', value: i * 2 });
    }
  });

  it('answers an empty list without calling anything', async () => {
    let calls = 0;
    expect(await settleWithLimit([], 4, async () => calls++)).toEqual([]);
    expect(calls).toBe(0);
  });
});
