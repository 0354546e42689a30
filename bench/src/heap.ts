import v8 from 'node:v8';

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
export function settledHeap(gc: () => void): Promise<number> {
  return settled(gc, () => process.memoryUsage().heapUsed);
}

/** The lowest of four readings of `read`, each after `gc()` and a turn of the event loop. */
async function settled(gc: () => void, read: () => number): Promise<number> {
  let heap = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    heap = Math.min(heap, read());
  }
  return heap;
}

/**
 * {@link settledHeap} counting only the heap that holds JavaScript objects: without the spaces of
 * compiled code and bytecode (V8's `code_*` and `trusted_*` spaces). Code is compiled once per
 * process, when a function turns hot, whatever the number of objects; in a measure per object
 * made it would be a one-off spread over however many objects were made while it compiled.
 *
 * @example
 * ```ts
 * const before = await settledObjectHeap(gc);
 * const managers = makeManagers(100);
 * console.log((await settledObjectHeap(gc)) - before, 'bytes for 100 managers');
 * ```
 */
export function settledObjectHeap(gc: () => void): Promise<number> {
  return settled(gc, () => {
    let objects = 0;
    for (const space of v8.getHeapSpaceStatistics())
      if (!/code|trusted/.test(space.space_name)) objects += space.space_used_size;
    return objects;
  });
}
