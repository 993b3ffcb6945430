import { describe, expect, it } from '@jest/globals';
import { generateId, IdPrefix } from '../src/ids.js';

describe('generateId', () => {
  it('gives a prefix, a time part and 80 random bits that never repeat, across refills of the random pool', () => {
    const ids = Array.from({ length: 10_000 }, () => generateId(IdPrefix.payment));
    for (const id of ids) expect(id).toMatch(/^pay_[0-9A-V]{10}[0-9A-HJKMNP-TV-Z]{16}$/);
    // The random part alone: the pool holds 256 ids' worth, so this spans 39 refills.
    expect(new Set(ids.map((id) => id.slice(-16))).size).toBe(ids.length);
  });

  it('sorts by creation time', async () => {
    const first = generateId(IdPrefix.session);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = generateId(IdPrefix.session);
    expect(first.slice(0, -16) < second.slice(0, -16)).toBe(true);
  });
});
