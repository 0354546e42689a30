/**
 * `heapUsed` once repeated full collections no longer shrink it, in bytes: four rounds of `gc()`
 * each followed by a turn of the event loop (so that finalizers and weak callbacks run), the
 * lowest reading kept. Needs `node --expose-gc`, whose `globalThis.gc` is passed in.
 *
 * @example
 * ```ts
 * const gc = (globalThis as { gc?: () => void }).gc;
 * if (gc) console.log(await settledHeap(gc));
 * ```
 */
export async function settledHeap(gc: () => void): Promise<number> {
  let heap = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    heap = Math.min(heap, process.memoryUsage().heapUsed);
  }
  return heap;
}
