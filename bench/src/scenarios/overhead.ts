import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type ClientName,
  type Contender,
  type ContenderKind,
  contenders,
  floorOf,
} from '../contenders/index.ts';
import type { BenchServer } from '../server.ts';
import { median } from '../stats.ts';
import type { TimedContender } from './overhead-child.ts';

const child = fileURLToPath(new URL('./overhead-child.ts', import.meta.url));

/** Scenario 4 for one contender. */
export interface OverheadResult {
  readonly contender: string;
  readonly client: ClientName;
  readonly kind: ContenderKind;
  /** Median over the rounds of the mean time per request, in process, in ns. */
  readonly nsPerRequest: number;
  /** `nsPerRequest` minus the floor's (the bare client's): what the token layer adds. */
  readonly overheadNs: number;
  /** `nsPerRequest` over the floor's. */
  readonly ratio: number;
  /** Median loopback round trip of the bare client to the bench server, in ns. */
  readonly roundTripNs: number;
}

/** How scenario 4 runs. */
export interface OverheadOptions {
  /** Requests per contender before measuring (JIT, token, caches). */
  readonly warmup: number;
  /** Rounds; each round times one batch per contender of a client, in a rotating order. */
  readonly rounds: number;
  /** Sequential requests per batch. */
  readonly batch: number;
  /** Sequential loopback requests timed for the round trip of each bare client. */
  readonly roundTrips: number;
}

/**
 * Scenario 4: per-request overhead with in-process transports. The contenders of each client
 * (its floor included) are timed in a fresh child process, in interleaved rounds; a contender's
 * figure is the median of its rounds, and its overhead is that minus the floor's. The loopback
 * round trip of the bare client, timed here against the bench server, puts it in proportion.
 *
 * @example
 * ```ts
 * const rows = await runOverhead(server, { warmup: 3_000, rounds: 16, batch: 1_000, roundTrips: 400 });
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
    const family = contenders.filter((c) => c.client === client);
    progress(`${client}: loopback round trip, then ${family.length} contenders in process`);
    const roundTripNs = await roundTrip(floor, server, options.roundTrips);
    const timed = await timeInChild(client, options);
    const floorNs = timed.find((t) => t.contender === floor.name)?.nsPerRequest ?? Number.NaN;
    for (const contender of family) {
      const nsPerRequest =
        timed.find((t) => t.contender === contender.name)?.nsPerRequest ?? Number.NaN;
      results.push({
        contender: contender.name,
        client,
        kind: contender.kind,
        nsPerRequest,
        overheadNs: nsPerRequest - floorNs,
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
    execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
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
