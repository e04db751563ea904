/**
 * Runs `each` over `items` with at most `limit` calls in flight, in order of start; resolves when all are done and
 * rejects with the first error (calls already started still finish).
 */
export async function forEachInFlight<T>(items: readonly T[], limit: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await each(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
