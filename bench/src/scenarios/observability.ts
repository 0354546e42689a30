import { fileURLToPath } from 'node:url';
import { fanOutContenders } from '../contenders/index.ts';
import { type RoundSummary, summarizeRounds, timeInChild } from '../rounds.ts';

const child = fileURLToPath(new URL('./fan-out-child.ts', import.meta.url));

/**
 * How tokenwise's managers are observed in a run of scenario 12: not at all, by an `onEvent`
 * function that does nothing, or by a diagnostics channel subscriber (of every `tokenwise:<type>`
 * channel) that does nothing.
 */
export type ObservabilityMode = 'unused' | 'onEvent' | 'diagnostics_channel';

/** The modes, in the order of the table. */
export const observabilityModes: readonly ObservabilityMode[] = [
  'unused',
  'onEvent',
  'diagnostics_channel',
];

/** Whether `value` names a mode. */
export function isObservabilityMode(value: string): value is ObservabilityMode {
  return (observabilityModes as readonly string[]).includes(value);
}

/** Scenario 12 for one mode: tokenwise fetch against the hand-written wrapper. */
export interface ObservabilityResult extends RoundSummary {
  readonly mode: ObservabilityMode;
}

/** How scenario 12 runs: as scenario 9 with one manager. */
export interface ObservabilityOptions {
  readonly processes: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly batch: number;
}

/**
 * Scenario 12: what observability costs per request, `createAuthFetch` with one manager timed
 * as in scenario 9 against the hand-written wrapper, in fresh processes per mode: observability
 * unused, an `onEvent` function, a diagnostics channel subscriber. A cached token costs one
 * `token.cache_hit` event per request when observed.
 *
 * @example
 * ```ts
 * const rows = await runObservability({ processes: 2, warmup: 5_000, rounds: 60, batch: 250 });
 * ```
 */
export async function runObservability(
  options: ObservabilityOptions,
  progress: (line: string) => void = () => {},
): Promise<ObservabilityResult[]> {
  const [yardstick, tokenwiseFetch] = fanOutContenders;
  const results: ObservabilityResult[] = [];
  for (const mode of observabilityModes) {
    progress(`${mode} in ${options.processes} processes`);
    const runs = [];
    for (let i = 0; i < options.processes; i++) {
      const args = [1, options.warmup, options.rounds, options.batch, mode] as const;
      runs.push(await timeInChild(child, [...args]));
    }
    const summary = summarizeRounds(runs, yardstick.name).get(tokenwiseFetch.name);
    if (summary === undefined) throw new Error(`no rounds timed for ${tokenwiseFetch.name}`);
    results.push({ mode, ...summary });
  }
  return results;
}
