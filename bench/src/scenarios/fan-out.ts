import { fileURLToPath } from 'node:url';
import { fanOutContenders } from '../contenders/index.ts';
import { type RoundSummary, summarizeRounds, timeInChild } from '../rounds.ts';

const child = fileURLToPath(new URL('./fan-out-child.ts', import.meta.url));

/** Scenario 9 for one contender and one number of managers. */
export interface FanOutResult extends RoundSummary {
  readonly contender: string;
  /** Sessions (manager and wrapper) the requests went to in turn. */
  readonly managers: number;
  /** Whether this row is the hand-written wrapper that the others are set against. */
  readonly yardstick: boolean;
}

/** How scenario 9 runs. */
export interface FanOutOptions {
  /** The numbers of managers, each timed on its own. */
  readonly managers: readonly number[];
  /** Child processes per number of managers; their rounds are pooled. */
  readonly processes: number;
  /** Requests per contender before measuring (at least two passes over its managers). */
  readonly warmup: number;
  readonly rounds: number;
  /** Sequential requests per batch. */
  readonly batch: number;
}

/**
 * Scenario 9: `createAuthFetch` per request against the least a hand-written wrapper does (a
 * `Map` lookup, `new Headers`, set `Authorization`), `OAuth2Fetch` beside them, with one manager
 * and with many used in turn (a multi-tenant service: the per-tenant state is no longer in the
 * CPU's caches). Timed as scenario 4 is: in-process fetch, fresh child processes, short rotating
 * rounds, each contender set against the yardstick round by round.
 *
 * @example
 * ```ts
 * const rows = await runFanOut({ managers: [1, 10_000], processes: 2, warmup: 5_000, rounds: 60, batch: 250 });
 * ```
 */
export async function runFanOut(
  options: FanOutOptions,
  progress: (line: string) => void = () => {},
): Promise<FanOutResult[]> {
  const [yardstick] = fanOutContenders;
  const results: FanOutResult[] = [];
  for (const managers of options.managers) {
    progress(
      `${managers.toLocaleString('en')} manager${managers === 1 ? '' : 's'} in ${options.processes} processes`,
    );
    const runs = [];
    for (let i = 0; i < options.processes; i++) {
      runs.push(
        await timeInChild(child, [managers, options.warmup, options.rounds, options.batch]),
      );
    }
    const summaries = summarizeRounds(runs, yardstick.name);
    for (const contender of fanOutContenders) {
      const summary = summaries.get(contender.name);
      if (summary === undefined) throw new Error(`no rounds timed for ${contender.name}`);
      results.push({
        contender: contender.name,
        managers,
        yardstick: contender === yardstick,
        ...summary,
      });
    }
  }
  return results;
}
