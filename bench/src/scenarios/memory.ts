import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemorySample } from './memory-child.ts';

export type { MemorySample } from './memory-child.ts';

const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

/** One memory run: a contender by name and how many requests it sends. */
export interface MemoryRun {
  readonly name: string;
  readonly requests: number;
}

/**
 * Scenario 5: each run is a child process (`--expose-gc`) that warms up, then sends `requests`
 * requests through the in-process transport, 50 at a time, and reports `heapUsed` after full
 * collections before and after each quarter of them. One process per contender keeps heaps
 * apart; `parallel` children run at a time (heap figures are per process, so they do not mix).
 * Samples come back in the order of `runs`.
 *
 * @example
 * ```ts
 * const [sample] = await runMemory([{ name: 'tokenwise fetch', requests: 1_000_000 }]);
 * sample.heaps; // heapUsed before and after each quarter, in bytes
 * ```
 */
export async function runMemory(
  runs: readonly MemoryRun[],
  options: { parallel?: number; progress?: (line: string) => void } = {},
): Promise<MemorySample[]> {
  const samples: MemorySample[] = new Array(runs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < runs.length; index = next++) {
      const run = runs[index];
      if (run === undefined) continue;
      const sample = await runChild(run);
      const base = sample.heaps[0] ?? 0;
      const kib = sample.heaps.map((heap) => ((heap - base) / 1024).toFixed(0));
      options.progress?.(
        `${run.name}: heap growth by quarter ${kib.join(' / ')} KiB (${(sample.ms / 1000).toFixed(1)} s)`,
      );
      samples[index] = sample;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, lane));
  return samples;
}

function runChild({ name, requests }: MemoryRun): Promise<MemorySample> {
  return new Promise<MemorySample>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', child, name, String(requests)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`memory run of ${name} failed: ${stderr || error}`));
        const line = stdout.trim().split('\n').at(-1) ?? '';
        resolve(JSON.parse(line) as MemorySample);
      },
    );
  });
}
