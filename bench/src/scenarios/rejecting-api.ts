import type { Contender } from '../contenders/index.ts';
import type { BenchServer } from '../server.ts';

/** What one contender paid against an API that answers 401 to every token. */
export interface RejectingApiResult {
  readonly contender: string;
  /** Sequential requests, each to a URL of its own. */
  readonly sequential: number;
  /** Concurrent requests that followed, each to a URL of its own. */
  readonly concurrent: number;
  /** Requests to the token endpoint during both phases (the cold start's included). */
  readonly tokenRequests: number;
  /** Requests the API received (first attempts and re-sends). */
  readonly apiCalls: number;
  /** Requests answered 401 (the others threw or got another status). */
  readonly unauthorized: number;
  /** Wall time of both phases, in ms. */
  readonly ms: number;
}

/**
 * Scenario 6: an API that rejects every token (a missing permission, a misconfigured audience).
 * A fresh client sends `sequential` requests one after the other, then `concurrent` at once, every
 * one to a distinct URL; the figure is how many token requests that costs. A library that renews
 * the token for every 401 hammers the token endpoint; tokenwise's bound is per manager.
 *
 * @example
 * ```ts
 * const result = await runRejectingApi(tokenwiseFetch, server, { sequential: 20, concurrent: 50 });
 * result.tokenRequests; // at most 3
 * ```
 */
export async function runRejectingApi(
  contender: Contender,
  server: BenchServer,
  counts: { readonly sequential: number; readonly concurrent: number },
): Promise<RejectingApiResult> {
  server.lifetimeSeconds = 3600;
  const session = contender.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
  const before = server.snapshot();
  const started = performance.now();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < counts.sequential; i++)
      statuses.push(await session.send(`api/rejected/sequential-${i}`).catch(() => 0));
    statuses.push(
      ...(await Promise.all(
        Array.from({ length: counts.concurrent }, (_, i) =>
          session.send(`api/rejected/concurrent-${i}`).catch(() => 0),
        ),
      )),
    );
    return {
      contender: contender.name,
      ...counts,
      tokenRequests: server.stats.tokenRequests - before.tokenRequests,
      apiCalls: server.stats.apiCalls - before.apiCalls,
      unauthorized: statuses.filter((status) => status === 401).length,
      ms: performance.now() - started,
    };
  } finally {
    await session.close();
  }
}
