import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type ClientName,
  type Contender,
  type ContenderKind,
  contenders,
  floorOf,
  references,
} from '../contenders/index.ts';
import type { BenchServer } from '../server.ts';
import { median, percentile } from '../stats.ts';
import type { TimedContender } from './overhead-child.ts';

const child = fileURLToPath(new URL('./overhead-child.ts', import.meta.url));

/** Scenario 4 for one contender. */
export interface OverheadResult {
  readonly contender: string;
  readonly client: ClientName;
  readonly kind: ContenderKind;
  /** Median over all rounds of the mean time per request, in process, in ns. */
  readonly nsPerRequest: number;
  /**
   * What the token layer adds: the median over all rounds of this contender's time per request
   * minus the floor's (the bare client's) in the same round, in ns. 0 for the floor.
   */
  readonly overheadNs: number;
  /** The middle half of those per-round differences (25th and 75th percentiles), in ns. */
  readonly overheadSpreadNs: readonly [number, number];
  /** `nsPerRequest` over the floor's. */
  readonly ratio: number;
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
    const rounds = new Map<string, number[]>(family.map((c) => [c.name, []]));
    const differences = new Map<string, number[]>(family.map((c) => [c.name, []]));
    for (let i = 0; i < options.processes; i++) {
      const timed = await timeInChild(client, options);
      const floorRounds = timed.find((t) => t.contender === floor.name)?.rounds ?? [];
      for (const { contender, rounds: own } of timed) {
        rounds.get(contender)?.push(...own);
        differences
          .get(contender)
          ?.push(...own.map((ns, round) => ns - (floorRounds[round] ?? ns)));
      }
    }
    const floorNs = median(rounds.get(floor.name) ?? []);
    for (const contender of family) {
      const nsPerRequest = median(rounds.get(contender.name) ?? []);
      const own = differences.get(contender.name) ?? [];
      results.push({
        contender: contender.name,
        client,
        kind: contender.kind,
        nsPerRequest,
        overheadNs: median(own),
        overheadSpreadNs: [percentile(own, 25), percentile(own, 75)],
        ratio: nsPerRequest / floorNs,
        roundTripNs,
      });
    }
  }
  return results;
}

function timeInChild(client: ClientName, options: OverheadOptions): Promise<TimedContender[]> {
  const args = [child, client, options.warmup, options.rounds, options.batch].map(String);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`overhead run of ${client} failed: ${stderr || error}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as TimedContender[]);
    });
  });
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
