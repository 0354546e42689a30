import type { Contender } from '../contenders/index.ts';
import { type BenchServer, startHeader } from '../server.ts';
import { percentile, sleep } from '../stats.ts';

/** Scenario 3 for one contender. */
export interface SteadyResult {
  readonly contender: string;
  readonly requests: number;
  /** Answered 200. */
  readonly succeeded: number;
  /** Requests served with a token minted after they began: they waited on the token endpoint. */
  readonly waited: number;
  /** tokenwise only: the same count by racing `getToken` against `setImmediate`. */
  readonly raceWaited?: number | undefined;
  readonly tokenRequests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** How scenario 3 runs. */
export interface SteadyOptions {
  /** Lifetime of the tokens, in seconds. */
  readonly lifetimeSeconds: number;
  /** How long the traffic lasts, in ms. */
  readonly durationMs: number;
  /** A tick starts `perTick` requests every `tickMs`, without waiting for earlier ones (open loop). */
  readonly tickMs: number;
  readonly perTick: number;
}

/**
 * Scenario 3: steady open-loop traffic across several expiries of short-lived tokens. After one
 * warm-up request (the cold start, measured in scenario 1), every request carries the time it
 * began; the server counts a request as having waited on the token endpoint when the token that
 * got it a 200 was minted after that time: such a request cannot have been served without
 * waiting for a token request. Latency is measured by the caller, per request.
 *
 * @example
 * ```ts
 * const result = await runSteady(tokenwiseFetch, server, { lifetimeSeconds: 2, durationMs: 6_000, tickMs: 10, perTick: 2 });
 * result.waited; // 0
 * ```
 */
export async function runSteady(
  contender: Contender,
  server: BenchServer,
  options: SteadyOptions,
): Promise<SteadyResult> {
  server.lifetimeSeconds = options.lifetimeSeconds;
  const session = contender.connect({
    baseUrl: server.url,
    tokenUrl: server.tokenUrl,
    countWaits: contender.kind === 'tokenwise',
  });
  try {
    await session.send('api/warm-up');
    const raceBefore = session.raceWaits?.() ?? 0;
    const before = server.snapshot();
    const latencies: number[] = [];
    const pending: Promise<number>[] = [];
    const one = async (): Promise<number> => {
      const started = performance.now();
      const status = await session
        .send('api/feed', { [startHeader]: String(started) })
        .catch(() => 0);
      latencies.push(performance.now() - started);
      return status;
    };
    const until = performance.now() + options.durationMs;
    while (performance.now() < until) {
      for (let i = 0; i < options.perTick; i++) pending.push(one());
      await sleep(options.tickMs);
    }
    const statuses = await Promise.all(pending);
    return {
      contender: contender.name,
      requests: statuses.length,
      succeeded: statuses.filter((status) => status === 200).length,
      waited: server.stats.waited - before.waited,
      raceWaited: session.raceWaits ? session.raceWaits() - raceBefore : undefined,
      tokenRequests: server.stats.tokenRequests - before.tokenRequests,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await session.close();
    server.lifetimeSeconds = 3600;
  }
}
