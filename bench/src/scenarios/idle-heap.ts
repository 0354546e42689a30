import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../stats.ts';
import type { IdleHeapSample } from './idle-heap-child.ts';
import { type IdleManager, idleManagers } from './idle-managers.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./idle-heap-child.ts', import.meta.url));

/** The idle heap of one setup. */
export interface IdleHeap {
  readonly setup: string;
  readonly library: IdleManager['library'];
  readonly withFetch: boolean;
  /** Managers measured (warm-up excluded). */
  readonly count: number;
  /** The median over the batches of the heap each batch added, per manager, in bytes. */
  readonly bytesPerManager: number;
  /** The lowest and highest batch, per manager, in bytes. */
  readonly rangeBytes: readonly [number, number];
}

/** How the idle heap is measured. */
export interface IdleHeapOptions {
  /** Managers per batch. */
  readonly perStep: number;
  /** Batches, each followed by a settled heap reading. */
  readonly steps: number;
  /** Managers created (and kept) before the first reading. */
  readonly warmup: number;
}

/**
 * The idle heap per manager of every {@link idleManagers} setup, the libraries as installed in
 * `projectDir` (the packed project), one fresh `node --expose-gc` process each: after the warm-up managers, batches of managers each holding a token, all kept,
 * `heapUsed` read after full collections between batches. A setup's figure is the median of its
 * batches' growth per manager: a batch during which the heap's own bookkeeping grew (a table
 * doubling) stands out and does not move the median.
 *
 * @example
 * ```ts
 * const rows = await runIdleHeap(project.dir, { perStep: 1_000, steps: 5, warmup: 500 });
 * ```
 */
export async function runIdleHeap(
  projectDir: string,
  options: IdleHeapOptions,
): Promise<IdleHeap[]> {
  const results: IdleHeap[] = [];
  for (const setup of idleManagers) {
    const args = [projectDir, setup.name, options.perStep, options.steps, options.warmup].map(
      String,
    );
    const { stdout } = await run(process.execPath, ['--expose-gc', child, ...args], {
      maxBuffer: 1 << 20,
    });
    const sample = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as IdleHeapSample;
    results.push({
      setup: setup.name,
      library: setup.library,
      withFetch: setup.withFetch,
      count: sample.count,
      bytesPerManager: median(sample.steps),
      rangeBytes: [Math.min(...sample.steps), Math.max(...sample.steps)],
    });
  }
  return results;
}
