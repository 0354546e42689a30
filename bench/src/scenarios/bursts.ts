import type { Contender } from '../contenders/index.ts';
import type { BenchServer } from '../server.ts';

/** What one burst of concurrent requests cost. */
export interface BurstResult {
  /** Requests the application made. */
  readonly requests: number;
  /** Of those, answered 200. */
  readonly succeeded: number;
  /** Requests to the token endpoint during the burst. */
  readonly tokenRequests: number;
  /** Requests the API received (first attempts and re-sends). */
  readonly apiCalls: number;
}

/** Scenarios 1 and 2 for one contender. */
export interface BurstsResult {
  readonly contender: string;
  /** N concurrent requests from a fresh instance: no token yet. */
  readonly cold: BurstResult;
  /** N concurrent requests right after the server revoked every token. */
  readonly revoked: BurstResult;
}

/**
 * Scenario 1: `n` concurrent requests from a fresh client (cold cache); then scenario 2, on the
 * same client: the server revokes every token and `n` concurrent requests follow. Tokens live an
 * hour, so only the revocation can make them fail.
 *
 * @example
 * ```ts
 * const { cold, revoked } = await runBursts(tokenwiseFetch, server, 200);
 * cold.tokenRequests; // 1
 * ```
 */
export async function runBursts(
  contender: Contender,
  server: BenchServer,
  n: number,
): Promise<BurstsResult> {
  server.lifetimeSeconds = 3600;
  const session = contender.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
  const burst = async (): Promise<BurstResult> => {
    const before = server.snapshot();
    const statuses = await Promise.all(
      Array.from({ length: n }, (_, i) => session.send(`api/items/${i}`).catch(() => 0)),
    );
    return {
      requests: n,
      succeeded: statuses.filter((status) => status === 200).length,
      tokenRequests: server.stats.tokenRequests - before.tokenRequests,
      apiCalls: server.stats.apiCalls - before.apiCalls,
    };
  };
  try {
    const cold = await burst();
    server.revokeAll();
    const revoked = await burst();
    return { contender: contender.name, cold, revoked };
  } finally {
    await session.close();
  }
}
