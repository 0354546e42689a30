/**
 * Measures the idle heap of one {@link IdleManager} setup, in a fresh process so that heaps do
 * not mix: `node --expose-gc idle-heap-child.ts <project dir> <setup name> <per step> <steps> <warmup>`, the
 * libraries imported from the packed project's `node_modules`. After `warmup`
 * managers (the code compiled and optimised, the library's shared caches filled), it creates
 * `steps` batches of `per step` managers, keeping every one, with a settled heap reading after
 * each batch. Prints one JSON line ({@link IdleHeapSample}).
 *
 * @module
 */
import { settledHeap } from '../heap.ts';
import { inProcessTransport } from '../in-process.ts';
import { type IdleManager, idleManagers, type Libraries, loadLibraries } from './idle-managers.ts';

/** What the child reports. */
export interface IdleHeapSample {
  readonly setup: string;
  /** Managers measured (warm-up excluded). */
  readonly count: number;
  /** For each batch: settled `heapUsed` after it minus before it, over its managers, in bytes. */
  readonly steps: readonly number[];
}

async function createMany(
  setup: IdleManager,
  libraries: Libraries,
  count: number,
  keep: (value: unknown) => void,
): Promise<void> {
  const transport = inProcessTransport();
  for (let i = 0; i < count; i++) await setup.create(libraries, transport, keep);
}

async function main(): Promise<void> {
  const [projectDir = '', name, ...numbers] = process.argv.slice(2);
  const [perStep = 0, stepCount = 0, warmup = 0] = numbers.map(Number);
  const setup = idleManagers.find((s) => s.name === name);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (setup === undefined || !(perStep > 0 && stepCount > 0) || gc === undefined) {
    throw new Error(
      'usage: node --expose-gc idle-heap-child.ts <project dir> <setup> <per step> <steps> <warmup>',
    );
  }
  const count = perStep * stepCount;
  const libraries = await loadLibraries(projectDir);
  // Room for everything kept, allocated before the first reading: only the managers count.
  const kept: unknown[] = new Array((count + warmup) * 2).fill(null);
  let next = 0;
  const keep = (value: unknown): void => {
    kept[next++] = value;
  };
  await createMany(setup, libraries, warmup, keep);
  const steps: number[] = [];
  let before = await settledHeap(gc);
  for (let step = 0; step < stepCount; step++) {
    await createMany(setup, libraries, perStep, keep);
    const after = await settledHeap(gc);
    steps.push((after - before) / perStep);
    before = after;
  }
  if (next > kept.length) throw new Error('kept more values than there was room for');
  const sample: IdleHeapSample = { setup: setup.name, count, steps };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
