/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function forEachLimit(count, concurrency, work) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      await work(i);
    }
  });
  await Promise.all(lanes);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
