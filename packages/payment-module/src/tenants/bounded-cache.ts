/**
 * A small time-limited LRU: entries expire after `ttlMs`, and past `maxEntries` the least recently used
 * goes. Bounded so that requests naming ever new keys cannot grow a process's memory.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();

  constructor(
    readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): { value: V } | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (Date.now() - hit.at >= this.ttlMs) return undefined;
    // Re-inserted so that Map order stays least-recently-used first.
    this.entries.set(key, hit);
    return { value: hit.value };
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
