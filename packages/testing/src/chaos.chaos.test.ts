/**
 * Chaos: requests through every adapter (fetch via createAuthFetch, axios, got, ky; about a
 * thousand or two in the short run, tens of thousands a minute) against a loopback token endpoint that answers 503, 429 with Retry-After, slowly or never,
 * resets connections, loses answers, and sends malformed JSON, HTML or a 200 with an error; and
 * an API that randomly answers 401 (revoking the token, or not) and 503.
 *
 * Invariants, each able to fail:
 * - every request settles (none still pending after the drain time);
 * - each succeeds, or fails with a typed error: a TokenwiseError, or the client's own HTTP error
 *   (fetch: the Response) carrying a 401 or 5xx from the API; background errors are typed too;
 * - no unhandled rejection;
 * - token requests stay within the bound derived in chaos/token-request-bound.ts,
 *   and so do the successful exchanges (counted as the distinct tokens the API received);
 * - no API request leaves with an expired token (checked at the transport, against the
 *   server's own record of when each token expires), without a token, or with a token the
 *   server never issued;
 * - rotated refresh tokens survive lost answers: no invalid_grant, no re-authorization.
 *
 * Short by default (CHAOS_SECONDS=3, a few seconds more while a client that started in a streak
 * of faults gets its first successes). The seed is printed, and CHAOS_SEED replays the same
 * fault sequence (the interleaving still varies):
 *   cd packages/testing && CHAOS_SECONDS=60 CHAOS_SEED=1234 pnpm exec vitest run src/chaos.chaos.test.ts
 */
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
  TokenwiseError,
} from '@tokenwise/core';
import { afterEach, expect, test } from 'vitest';
import * as chaosServer from './chaos/chaos-server.ts';
import { instrumentedAdapters } from './chaos/instrumented-adapters.ts';
import * as chaosLoad from './chaos/load.ts';
import { untyped } from './chaos/outcomes.ts';
import { type ChaosRow, describeChaosRun } from './chaos/run-report.ts';
import * as seeded from './chaos/seeded-random.ts';
import * as bounds from './chaos/token-request-bound.ts';

const seconds = Number(process.env.CHAOS_SECONDS ?? 3);
const seed = seeded.chaosSeed();
const concurrency = 12;
const drainMs = 20_000;

/** The manager settings the bound relies on (all else is the default). */
const managerSettings = {
  timeoutMs: 1_000,
  failureBackoffMs: 250,
  retry: { limit: 2 },
} satisfies Partial<TokenManagerOptions>;
const lifetimesSeconds = [2, 3, 4];
const retryAfterSeconds = 1;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test(
  `every request settles with a typed outcome, within the token-request bound (seed ${seed}, ${seconds} s)`,
  async () => {
    expect(seconds, 'CHAOS_SECONDS').toBeGreaterThan(0);
    const random = seeded.seededRandom(seed);
    const clients = ['fetch', 'axios', 'got', 'ky'].map((name) => ({
      id: `chaos-${name}`,
      secret: `secret-${name}-${random.int(0, 0xffffff).toString(16)}`,
      ...(name === 'ky' ? { refreshToken: 'rt.chaos-ky.0' } : {}),
    }));
    const server = await chaosServer.startChaosServer({
      random: random.fork('server'),
      clients,
      lifetimesSeconds,
      retryAfterSeconds,
      // Every fault at least once whatever the run's length (each followed by a success), then
      // at random.
      tokenFaultSchedule: chaosServer.tokenFaults.flatMap((fault) =>
        fault === 'ok' ? [] : [fault, 'ok'],
      ),
      apiFaultSchedule: ['revoke', 'ok', 'spurious-401', 'ok', '503'],
    });
    cleanups.push(() => server.close());

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => {
      process.off('unhandledRejection', onUnhandled);
    });

    const background: unknown[] = [];
    const started = performance.now();
    const manager = (flow: TokenManagerOptions['flow']): TokenManager => {
      const tokens = createTokenManager({
        flow,
        ...managerSettings,
        onError: (error) => background.push(error),
      });
      cleanups.push(() => tokens.close());
      return tokens;
    };
    const adapters = instrumentedAdapters({ server, clients, manager });

    const reports = await Promise.all(
      adapters.map((adapter) =>
        chaosLoad.runLoad({
          durationMs: seconds * 1000,
          concurrency,
          drainMs,
          random: random.fork(`load-${adapter.name}`),
          send: adapter.send,
          isFailure: (outcome: string) => outcome !== 'ok',
          // A client whose cold start hit a streak of faults still shows that it recovers.
          atLeast: { outcome: 'ok', count: 20, maxDurationMs: 3 * seconds * 1000 },
        }),
      ),
    );
    await Promise.all(adapters.map((adapter) => adapter.tokens.close()));
    const activeMs = performance.now() - started;

    // The figures, printed for the record (the long run's are quoted in the report).
    const rows = adapters.map((adapter, i): ChaosRow => {
      const report = reports[i] as chaosLoad.LoadReport;
      const stats = server.stats.get(adapter.clientId) as chaosServer.ChaosClientStats;
      const bound = bounds.tokenRequestBound({
        activeMs,
        minLifetimeMs: Math.min(...lifetimesSeconds) * 1000,
        minFailureWindowMs: Math.min(managerSettings.failureBackoffMs, retryAfterSeconds * 1000),
        retryLimit: managerSettings.retry.limit,
        refusedTokens: stats.refused.size,
      });
      return { adapter, report, stats, bound };
    });
    console.log(
      describeChaosRun({
        seed,
        seconds,
        activeMs,
        concurrency,
        rows,
        server,
        background: background.length,
        unhandled: unhandled.length,
      }),
    );

    for (const { adapter, report, stats, bound } of rows) {
      const name = adapter.name;
      expect(report.hung, `${name}: requests that never settled`).toBe(0);
      expect(report.settled, `${name}: settled = started`).toBe(report.started);
      const odd = Object.keys(report.outcomes).filter(
        (outcome) =>
          outcome !== 'ok' && !/^ERR_[A-Z_]+$/.test(outcome) && !/^http (401|5\d\d)$/.test(outcome),
      );
      expect(odd, `${name}: outcomes that are neither success nor typed`).toEqual([]);
      expect(report.outcomes.ok ?? 0, `${name}: requests that succeeded`).toBeGreaterThanOrEqual(
        20,
      );
      expect(adapter.sends, `${name}: what API requests left with`).toMatchObject({
        expired: 0,
        missing: 0,
        unknown: 0,
      });
      expect(stats.tokenRequests, `${name}: token requests within the bound`).toBeLessThanOrEqual(
        bound.attempts,
      );
      // Each token used came from one successful exchange (tokens issued may exceed this bound
      // by the answers lost on the way, which the client never saw).
      expect(adapter.sends.tokens.size, `${name}: successful exchanges`).toBeLessThanOrEqual(
        bound.successfulExchanges,
      );
    }
    const kyStats = server.stats.get('chaos-ky') as chaosServer.ChaosClientStats;
    expect(kyStats.invalidGrants, 'ky: refresh tokens rejected (a rotation was lost)').toBe(0);
    expect(rows[3]?.report.outcomes.ERR_REAUTHORIZATION_REQUIRED).toBeUndefined();
    expect(background.filter((error) => !(error instanceof TokenwiseError)).map(untyped)).toEqual(
      [],
    );
    expect(unhandled.map(untyped)).toEqual([]);
    // The chaos did happen.
    for (const fault of chaosServer.tokenFaults)
      expect(server.tokenFaultCounts[fault], `token fault ${fault}`).toBeGreaterThan(0);
    for (const answer of ['200', '401 revoked now', '401 spurious', '503'])
      expect(server.apiAnswers[answer], `API answer ${answer}`).toBeGreaterThan(0);
  },
  (3 * seconds + 40) * 1000,
);
