import { execFile } from 'node:child_process';
import { median, percentile } from './stats.ts';

/** One contender's mean time per request in each round, in ns (round `i` of every contender ran back to back). */
export interface TimedContender {
  readonly contender: string;
  readonly rounds: readonly number[];
}

/** A contender's time per request, set against a yardstick timed in the same rounds. */
export interface RoundSummary {
  /** Median over all rounds of the mean time per request, in ns. */
  readonly nsPerRequest: number;
  /**
   * The median over all rounds of this contender's time per request minus the yardstick's in the
   * same round, in ns. 0 for the yardstick.
   */
  readonly overheadNs: number;
  /** The middle half of those per-round differences (25th and 75th percentiles), in ns. */
  readonly overheadSpreadNs: readonly [number, number];
  /**
   * The median over all rounds of this contender's time per request over the yardstick's in the
   * same round: paired like `overheadNs`, so that a slow stretch of the machine moves neither.
   */
  readonly ratio: number;
}

/**
 * Pools the rounds of several child processes and sets every contender against `yardstick`,
 * round by round: pairing by round cancels the drift of a shared machine's speed, which moves
 * both alike, and the median drops rounds a pause hit.
 *
 * @example
 * ```ts
 * const summaries = summarizeRounds([timedInFirstChild, timedInSecondChild], 'fetch (static header)');
 * summaries.get('tokenwise fetch')?.overheadNs;
 * ```
 */
export function summarizeRounds(
  runs: readonly (readonly TimedContender[])[],
  yardstick: string,
): Map<string, RoundSummary> {
  const rounds = new Map<string, number[]>();
  const differences = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  for (const timed of runs) {
    const yardstickRounds = timed.find((t) => t.contender === yardstick)?.rounds ?? [];
    for (const { contender, rounds: own } of timed) {
      if (!rounds.has(contender)) {
        rounds.set(contender, []);
        differences.set(contender, []);
        ratios.set(contender, []);
      }
      rounds.get(contender)?.push(...own);
      differences
        .get(contender)
        ?.push(...own.map((ns, round) => ns - (yardstickRounds[round] ?? ns)));
      ratios.get(contender)?.push(...own.map((ns, round) => ns / (yardstickRounds[round] ?? ns)));
    }
  }
  const summaries = new Map<string, RoundSummary>();
  for (const [contender, own] of rounds) {
    const diffs = differences.get(contender) ?? [];
    summaries.set(contender, {
      nsPerRequest: median(own),
      overheadNs: median(diffs),
      overheadSpreadNs: [percentile(diffs, 25), percentile(diffs, 75)],
      ratio: median(ratios.get(contender) ?? []),
    });
  }
  return summaries;
}

/**
 * Runs a timing child (`node <script> …args`) and parses the {@link TimedContender} list it
 * prints as its last line.
 *
 * @example
 * ```ts
 * const timed = await timeInChild(childPath, ['fetch', 5_000, 80, 250]);
 * ```
 */
export function timeInChild(
  script: string,
  args: readonly (string | number)[],
): Promise<TimedContender[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, ...args.map(String)],
      { maxBuffer: 8 << 20 },
      (error, stdout, stderr) => {
        if (error)
          return reject(new Error(`${script} ${args.join(' ')} failed: ${stderr || error}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as TimedContender[]);
      },
    );
  });
}
