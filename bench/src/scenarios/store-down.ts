import { clientCredentials, createTokenManager, type TokenStore } from '@tokenwise/core';
import { type BenchServer, benchClient } from '../server.ts';

/** How long callers waited with a store that never answers. */
export interface StoreDownResult {
  /** Concurrent callers at a cold start. */
  readonly callers: number;
  /** Of those, the ones that got a token. */
  readonly settledWithToken: number;
  /** The manager's store timeout, in ms. */
  readonly storeTimeoutMs: number;
  /** Time until the last caller settled, in ms. */
  readonly ms: number;
  /** Requests to the token endpoint. */
  readonly tokenRequests: number;
}

/** A store whose every operation hangs, as a Redis client queueing commands while Redis is down. */
const hangingStore: TokenStore = {
  get: () => new Promise(() => {}),
  set: () => new Promise(() => {}),
  delete: () => new Promise(() => {}),
  lock: () => new Promise(() => {}),
};

/** The manager's `storeTimeoutMs`: its default, set here so that the report states what ran. */
const storeTimeoutMs = 1_000;

/**
 * Scenario 7 (tokenwise only: the alternatives have no shared store): `callers` concurrent
 * `getToken()` calls on a fresh manager whose store never answers. Each store operation gives up
 * after the store timeout, the manager goes on from memory, and all callers share one token
 * request: they settle after about one store timeout plus one token request.
 *
 * @example
 * ```ts
 * const result = await runStoreDown(server, 100);
 * result.tokenRequests; // 1
 * ```
 */
export async function runStoreDown(server: BenchServer, callers: number): Promise<StoreDownResult> {
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: server.tokenUrl,
      clientId: benchClient.id,
      clientSecret: benchClient.secret,
    }),
    store: hangingStore,
    storeTimeoutMs,
  });
  const before = server.snapshot();
  const started = performance.now();
  try {
    const results = await Promise.allSettled(
      Array.from({ length: callers }, () => tokens.getToken()),
    );
    return {
      callers,
      settledWithToken: results.filter((result) => result.status === 'fulfilled').length,
      storeTimeoutMs,
      ms: performance.now() - started,
      tokenRequests: server.stats.tokenRequests - before.tokenRequests,
    };
  } finally {
    await tokens.close();
  }
}
