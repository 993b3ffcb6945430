/**
 * Group commit: with no batch in flight an item is written at once; items that arrive meanwhile wait,
 * and the next write takes all of them (up to `maxBatch`). Under load that pays one statement and one
 * commit per batch instead of per item, which on a busy machine is the CPU that every caller waits on;
 * a lone item pays nothing extra, as there is no timer.
 */
export class GroupCommit<Item, Result> {
  /** Batches written so far. */
  batches = 0;
  private queue: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  private writing: Promise<void> | undefined;

  /**
   * @param write stores a batch and returns one result per item, in order; throwing fails the whole batch.
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch = 64,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Resolves once everything submitted so far is written. */
  async flushed(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.batches++;
      try {
        const results = await this.write(batch.map((entry) => entry.item));
        if (results.length !== batch.length) {
          throw new Error(`group commit: ${results.length} results for a batch of ${batch.length}`);
        }
        for (const [i, entry] of batch.entries()) entry.resolve(results[i]!);
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.writing = undefined;
  }
}
