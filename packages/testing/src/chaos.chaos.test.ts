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
import { axiosAuth } from '@tokenwise/axios-auth';
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  refreshToken,
  type TokenManager,
  type TokenManagerOptions,
  TokenwiseError,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import axios, { isAxiosError } from 'axios';
import got, { HTTPError as GotHTTPError } from 'got';
import ky, { isHTTPError as isKyHTTPError } from 'ky';
import { afterEach, expect, test } from 'vitest';
import * as chaosServer from './chaos/chaos-server.ts';
import * as chaosLoad from './chaos/load.ts';
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

interface Sends {
  total: number;
  expired: number;
  missing: number;
  unknown: number;
  /** Distinct access tokens sent: each came from one successful exchange. */
  readonly tokens: Set<string>;
}

interface Adapter {
  readonly name: string;
  readonly clientId: string;
  readonly tokens: TokenManager;
  readonly sends: Sends;
  readonly send: () => Promise<string>;
}

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
    const client = (name: string) => {
      const { id, secret } = clients.find((c) => c.id === `chaos-${name}`) as (typeof clients)[0];
      return { tokenUrl: server.tokenUrl, clientId: id, clientSecret: secret };
    };

    /** Checks the token an API request leaves with, against the server's ledger. */
    const sendsOf = (): Sends => ({
      total: 0,
      expired: 0,
      missing: 0,
      unknown: 0,
      tokens: new Set(),
    });
    const check = (sends: Sends, authorization: unknown): void => {
      sends.total++;
      const token = typeof authorization === 'string' ? authorization.match(/^Bearer (.+)$/) : null;
      if (!token?.[1]) {
        sends.missing++;
        return;
      }
      sends.tokens.add(token[1]);
      const issued = server.issued(token[1]);
      if (issued === undefined) sends.unknown++;
      else if (Date.now() >= issued.expiresAt) sends.expired++;
    };

    const adapters: Adapter[] = [];

    {
      // fetch: client credentials, form body, client_secret_post.
      const tokens = manager(clientCredentials(client('fetch')));
      const sends = sendsOf();
      const authedFetch = createAuthFetch({
        tokens,
        origins: [server.origin],
        fetch: (input, init) => {
          const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
          check(sends, headers.get('authorization'));
          return fetch(input, init);
        },
      });
      adapters.push({
        name: 'fetch',
        clientId: 'chaos-fetch',
        tokens,
        sends,
        send: async () => {
          try {
            const response = await authedFetch(server.apiUrl);
            await response.arrayBuffer();
            if (response.status === 200) return 'ok';
            if (response.status === 401 || response.status >= 500) return `http ${response.status}`;
            return `untyped: status ${response.status}`;
          } catch (error) {
            return error instanceof TokenwiseError ? error.code : untyped(error);
          }
        },
      });
    }

    {
      // axios: client credentials, client_secret_basic; the http adapter, instrumented.
      const tokens = manager(
        clientCredentials({ ...client('axios'), clientAuth: 'client_secret_basic' }),
      );
      const sends = sendsOf();
      const http = axios.getAdapter('http');
      const api = axios.create({
        baseURL: server.origin,
        adapter: (config) => {
          check(sends, config.headers.get('Authorization'));
          return http(config);
        },
      });
      axiosAuth(api, { tokens });
      adapters.push({
        name: 'axios',
        clientId: 'chaos-axios',
        tokens,
        sends,
        send: async () => {
          try {
            await api.get('/api');
            return 'ok';
          } catch (error) {
            if (error instanceof TokenwiseError) return error.code;
            const status = isAxiosError(error) ? error.response?.status : undefined;
            return status === 401 || (status !== undefined && status >= 500)
              ? `http ${status}`
              : untyped(error);
          }
        },
      });
    }

    {
      // got: client credentials as a JSON body; a beforeRequest hook after gotAuth's sees the header.
      const tokens = manager(clientCredentials({ ...client('got'), bodyFormat: 'json' }));
      const sends = sendsOf();
      const api = got.extend(gotAuth({ tokens }), {
        prefixUrl: server.origin,
        hooks: { beforeRequest: [(options) => check(sends, options.headers.authorization)] },
      });
      adapters.push({
        name: 'got',
        clientId: 'chaos-got',
        tokens,
        sends,
        send: async () => {
          try {
            await api.get('api');
            return 'ok';
          } catch (error) {
            if (error instanceof TokenwiseError) return error.code;
            const status = error instanceof GotHTTPError ? error.response.statusCode : undefined;
            return status === 401 || (status !== undefined && status >= 500)
              ? `http ${status}`
              : untyped(error);
          }
        },
      });
    }

    {
      // ky: a rotating refresh token (the server's previous one stays valid until its successor is used).
      const tokens = manager(refreshToken({ ...client('ky'), refreshToken: 'rt.chaos-ky.0' }));
      const sends = sendsOf();
      const api = ky.create({
        ...kyAuth({ tokens }),
        fetch: (input, init) => {
          const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
          check(sends, headers.get('authorization'));
          return fetch(input, init);
        },
        prefix: server.origin,
        timeout: false,
      });
      adapters.push({
        name: 'ky',
        clientId: 'chaos-ky',
        tokens,
        sends,
        send: async () => {
          try {
            await api.get('api').arrayBuffer();
            return 'ok';
          } catch (error) {
            if (error instanceof TokenwiseError) return error.code;
            const status = isKyHTTPError(error) ? error.response.status : undefined;
            return status === 401 || (status !== undefined && status >= 500)
              ? `http ${status}`
              : untyped(error);
          }
        },
      });
    }

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
    const rows = adapters.map((adapter, i) => {
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
    const outcomeNames = [
      ...new Set(rows.flatMap(({ report }) => Object.keys(report.outcomes))),
    ].sort();
    console.log(
      [
        `chaos: seed ${seed}, ${seconds} s of load (${(activeMs / 1000).toFixed(1)} s with the drain), ${concurrency} workers per adapter`,
        table([
          ['adapter', 'requests', 'hung', ...outcomeNames],
          ...rows.map(({ adapter, report }) => [
            adapter.name,
            report.started,
            report.hung,
            ...outcomeNames.map((name) => report.outcomes[name] ?? 0),
          ]),
        ]),
        table([
          [
            'client',
            'token requests',
            'bound',
            'tokens issued',
            'tokens used',
            'bound',
            'refused tokens',
            'API sends',
            'sent expired',
          ],
          ...rows.map(({ adapter, stats, bound }) => [
            adapter.clientId,
            stats.tokenRequests,
            bound.attempts,
            stats.issued,
            adapter.sends.tokens.size,
            bound.successfulExchanges,
            stats.refused.size,
            adapter.sends.total,
            adapter.sends.expired,
          ]),
        ]),
        `token endpoint: ${describeCounts(server.tokenFaultCounts)}`,
        `API answers: ${describeCounts(server.apiAnswers)}`,
        `background errors (onError): ${background.length}, all typed; unhandled rejections: ${unhandled.length}`,
      ].join('\n'),
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

function untyped(error: unknown): string {
  const name = (error as Error | undefined)?.name ?? typeof error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return `untyped: ${name}${typeof code === 'string' ? ` ${code}` : ''}: ${(error as Error | undefined)?.message ?? String(error)}`;
}

function describeCounts(record: Readonly<Record<string, number>>): string {
  return Object.entries(record)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

/** Right-aligned columns, the first left-aligned. */
function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => String(row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0
            ? String(cell).padEnd(widths[column] ?? 0)
            : String(cell).padStart(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}
