import { fileURLToPath } from 'node:url';
import {
  type ClientName,
  type Contender,
  type ContenderKind,
  contenders,
  floorOf,
  references,
} from '../contenders/index.ts';
import { type RoundSummary, summarizeRounds, timeInChild } from '../rounds.ts';
import type { BenchServer } from '../server.ts';
import { median } from '../stats.ts';

const child = fileURLToPath(new URL('./overhead-child.ts', import.meta.url));

/**
 * Scenario 4 for one contender; its figures set against the floor (the bare client) timed in the
 * same rounds.
 */
export interface OverheadResult extends RoundSummary {
  readonly contender: string;
  readonly client: ClientName;
  readonly kind: ContenderKind;
  /** Median loopback round trip of the bare client to the bench server, in ns. */
  readonly roundTripNs: number;
}

/** How scenario 4 runs. */
export interface OverheadOptions {
  /** Child processes per client, one after the other; their rounds are pooled. */
  readonly processes: number;
  /** Requests per contender before measuring (JIT, token, caches), in each process. */
  readonly warmup: number;
  /** Rounds per process; each round times one batch per contender of a client, in a rotating order. */
  readonly rounds: number;
  /** Sequential requests per batch. */
  readonly batch: number;
  /** Sequential loopback requests timed for the round trip of each bare client. */
  readonly roundTrips: number;
}

/**
 * Scenario 4: per-request overhead with in-process transports. The contenders of each client
 * (its floor included) are timed in fresh child processes, in short interleaved rounds. A
 * contender's overhead is the median, over every round of every process, of its time minus the
 * floor's in that round: pairing by round cancels the drift of a shared machine's speed, which
 * moves both alike, and the median drops rounds a pause hit. Several processes keep one
 * process's JIT luck from deciding the figure. The loopback round trip of the bare client, timed
 * here against the bench server, puts it in proportion.
 *
 * @example
 * ```ts
 * const rows = await runOverhead(server, { processes: 3, warmup: 5_000, rounds: 80, batch: 250, roundTrips: 400 });
 * ```
 */
export async function runOverhead(
  server: BenchServer,
  options: OverheadOptions,
  progress: (line: string) => void = () => {},
): Promise<OverheadResult[]> {
  const results: OverheadResult[] = [];
  const clients = [...new Set(contenders.map((c) => c.client))];
  for (const client of clients) {
    const floor = floorOf(client);
    const family = [...contenders, ...references].filter((c) => c.client === client);
    progress(
      `${client}: loopback round trip, then ${family.length} contenders in ${options.processes} processes`,
    );
    const roundTripNs = await roundTrip(floor, server, options.roundTrips);
    const runs = [];
    for (let i = 0; i < options.processes; i++) {
      runs.push(await timeInChild(child, [client, options.warmup, options.rounds, options.batch]));
    }
    const summaries = summarizeRounds(runs, floor.name);
    for (const contender of family) {
      const summary = summaries.get(contender.name);
      if (summary === undefined) throw new Error(`no rounds timed for ${contender.name}`);
      results.push({
        contender: contender.name,
        client,
        kind: contender.kind,
        ...summary,
        roundTripNs,
      });
    }
  }
  return results;
}

/** The median time of one sequential loopback request of the bare client, in ns. */
async function roundTrip(floor: Contender, server: BenchServer, count: number): Promise<number> {
  const session = floor.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
  try {
    const times: number[] = [];
    for (let i = 0; i < 50 + count; i++) {
      const started = process.hrtime.bigint();
      const status = await session.send('api/items');
      if (status !== 200) throw new Error(`loopback request answered ${status}`);
      if (i >= 50) times.push(Number(process.hrtime.bigint() - started));
    }
    return median(times);
  } finally {
    await session.close();
  }
}
