import { fileURLToPath } from 'node:url';
import { type RoundSummary, summarizeRounds, timeInChild } from '../rounds.ts';

/** The names of the two rows; the Bearer one is the yardstick. */
export const dpopRows = {
  bearer: 'createAuthFetch, Bearer',
  dpop: 'createAuthFetch, DPoP (ES256)',
} as const;

const child = fileURLToPath(new URL('./dpop-child.ts', import.meta.url));

/** One row of scenario 11. */
export interface DpopResult extends RoundSummary {
  readonly contender: string;
  /** Whether this is the Bearer row the DPoP one is set against. */
  readonly yardstick: boolean;
}

/** How scenario 11 runs. */
export interface DpopOptions {
  readonly processes: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly batch: number;
}

/**
 * Scenario 11: what a DPoP proof adds to a request. `createAuthFetch` of a DPoP manager (a fresh
 * ES256 proof with `ath` signed with WebCrypto per request) against the same wrapper of a Bearer
 * manager, on in-process fetch, timed as scenario 9: fresh child processes, short rotating
 * rounds, each round of the DPoP row set against the Bearer row's.
 *
 * @example
 * ```ts
 * const rows = await runDpop({ processes: 2, warmup: 2_000, rounds: 40, batch: 100 });
 * ```
 */
export async function runDpop(
  options: DpopOptions,
  progress: (line: string) => void = () => {},
): Promise<DpopResult[]> {
  const runs = [];
  for (let i = 0; i < options.processes; i++) {
    progress(`process ${i + 1} of ${options.processes}`);
    runs.push(await timeInChild(child, [options.warmup, options.rounds, options.batch]));
  }
  const summaries = summarizeRounds(runs, dpopRows.bearer);
  return [dpopRows.bearer, dpopRows.dpop].map((contender) => {
    const summary = summaries.get(contender);
    if (summary === undefined) throw new Error(`no rounds timed for ${contender}`);
    return { contender, yardstick: contender === dpopRows.bearer, ...summary };
  });
}
