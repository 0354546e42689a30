/**
 * A loopback token endpoint and API that misbehave on purpose, for chaos tests, on the test kit's
 * loopback server: what is OAuth (client authentication, the client credentials and refresh token
 * grants, form or JSON bodies, strict rotation, revocation, the bearer check) is the kit's mock
 * authorization server; what is chaos is laid in front of it, on two routes of the kit's server.
 *
 * - `POST ${origin}/chaos/token` draws a {@link TokenFault} per request, and passes what gets
 *   through to the kit's token endpoint, rotating refresh tokens with a grace of one on the way
 *   ({@link ChaosTokenEndpoint}).
 * - `${origin}/api` draws an {@link ApiFault} per request, then checks the bearer token
 *   ({@link ChaosApi}).
 * - The server is the ground truth ({@link ChaosLedger}): it knows when each token it issued
 *   expires, and counts everything per client.
 *
 * `close()` ends every connection and pending delay, so a test leaves nothing running.
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import { startServer, Waits } from '@tokenwise/test-kit/server';
import { ChaosApi } from './chaos-api.ts';
import { type ChaosClientStats, ChaosLedger, type IssuedToken } from './chaos-ledger.ts';
import { ChaosTokenEndpoint } from './chaos-token-endpoint.ts';
import {
  type ApiFault,
  type ChaosRandom,
  defaultApiFaultWeights,
  defaultTokenFaultWeights,
  FaultDraw,
  type TokenFault,
} from './faults.ts';

export type { ChaosClientStats, IssuedToken } from './chaos-ledger.ts';
export {
  type ApiFault,
  apiFaults,
  defaultApiFaultWeights,
  defaultTokenFaultWeights,
  type TokenFault,
  tokenFaults,
} from './faults.ts';

/**
 * A client the token endpoint knows.
 *
 * @example
 * ```ts
 * const client: ChaosClient = { id: 'chaos-ky', secret: 's3cret', refreshToken: 'rt.chaos-ky.0' };
 * ```
 */
export interface ChaosClient {
  readonly id: string;
  readonly secret: string;
  /** A refresh token the server accepts for this client at the start. */
  readonly refreshToken?: string | undefined;
}

/**
 * Options of {@link startChaosServer}.
 *
 * @example
 * ```ts
 * const options: ChaosServerOptions = { random: seededRandom(7), clients, lifetimesSeconds: [2] };
 * ```
 */
export interface ChaosServerOptions {
  /** Every fault is drawn from this source. */
  readonly random: ChaosRandom;
  readonly clients: readonly ChaosClient[];
  /** @default defaultTokenFaultWeights */
  readonly tokenFaultWeights?: Readonly<Record<TokenFault, number>> | undefined;
  /** @default defaultApiFaultWeights */
  readonly apiFaultWeights?: Readonly<Record<ApiFault, number>> | undefined;
  /** Faults used, in order, before any random one: makes sure a short run sees each of them. */
  readonly tokenFaultSchedule?: readonly TokenFault[] | undefined;
  readonly apiFaultSchedule?: readonly ApiFault[] | undefined;
  /** Token lifetimes (`expires_in`, seconds), one drawn per token. @default [2, 3, 4] */
  readonly lifetimesSeconds?: readonly number[] | undefined;
  /** Delay range of a `slow` answer, in ms. @default [100, 600] */
  readonly slowMs?: readonly [number, number] | undefined;
  /** `Retry-After` of a `429`, in seconds. @default 1 */
  readonly retryAfterSeconds?: number | undefined;
  /** Delay range of an API answer, in ms. @default [0, 3] */
  readonly apiDelayMs?: readonly [number, number] | undefined;
}

/**
 * A running chaos server.
 *
 * @example
 * ```ts
 * expect(server.stats.get('chaos-fetch')?.tokenRequests).toBeLessThanOrEqual(bound.attempts);
 * ```
 */
export interface ChaosServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  /** `${origin}/chaos/token` */
  readonly tokenUrl: string;
  /** `${origin}/api`: the one path of the API. */
  readonly apiUrl: string;
  /** Token-endpoint requests per fault drawn. */
  readonly tokenFaultCounts: Readonly<Record<TokenFault, number>>;
  /** API requests per answer: `200`, `401 revoked`, `401 spurious`, `401 expired`, `401 unknown`, `503`. */
  readonly apiAnswers: Readonly<Record<string, number>>;
  /** Per client id. */
  readonly stats: ReadonlyMap<string, ChaosClientStats>;
  /** The token as issued, or undefined when this server never issued it. */
  issued(accessToken: string): IssuedToken | undefined;
  /** Every access and refresh token issued so far (to look for them where they must not be). */
  issuedTokens(): string[];
  /** Queues faults for the next token requests, before any random one (after the schedule). */
  queueTokenFaults(...faults: TokenFault[]): void;
  /** Holds token answers (faults are drawn on release) until the returned function is called. */
  holdTokens(): () => void;
  close(): Promise<void>;
}

/**
 * Starts a {@link ChaosServer} on 127.0.0.1 (a random port).
 *
 * @example
 * ```ts
 * const server = await startChaosServer({ random: seededRandom(7), clients: [{ id: 'c', secret: 's' }] });
 * const tokens = createTokenManager({ flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId: 'c', clientSecret: 's' }) });
 * // … drive traffic at server.apiUrl …
 * await server.close();
 * ```
 */
export async function startChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  const { random, clients } = options;
  const kit = await startServer({
    clients: Object.fromEntries(clients.map((client) => [client.id, client.secret])),
  });
  for (const { id, refreshToken } of clients)
    if (refreshToken !== undefined) await kit.acceptRefreshToken(refreshToken, id);
  const waits = new Waits();
  const ledger = new ChaosLedger(clients.map((client) => client.id));
  const tokenFaults = new FaultDraw(
    random,
    options.tokenFaultWeights ?? defaultTokenFaultWeights,
    options.tokenFaultSchedule ?? [],
  );
  const token = new ChaosTokenEndpoint({
    tokenUrl: kit.tokenUrl,
    faults: tokenFaults,
    ledger,
    waits,
    random,
    lifetimesSeconds: options.lifetimesSeconds ?? [2, 3, 4],
    slowMs: options.slowMs ?? [100, 600],
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
  });
  const api = new ChaosApi({
    kit,
    faults: new FaultDraw(
      random,
      options.apiFaultWeights ?? defaultApiFaultWeights,
      options.apiFaultSchedule ?? [],
    ),
    ledger,
    waits,
    random,
    delayMs: options.apiDelayMs ?? [0, 3],
  });
  kit.route('/chaos/token', (request, res) => token.handle(request, res));
  kit.route('/api', (request, res) => api.handle(request, res));

  return {
    origin: kit.origin,
    tokenUrl: kit.url('/chaos/token'),
    apiUrl: kit.url('/api'),
    tokenFaultCounts: tokenFaults.counts,
    apiAnswers: ledger.apiAnswers,
    stats: ledger.stats,
    issued: (accessToken) => ledger.token(accessToken),
    issuedTokens: () => ledger.tokens(),
    queueTokenFaults: (...faults) => tokenFaults.queue(...faults),
    holdTokens: () => token.hold(),
    close() {
      waits.close();
      return kit.close();
    },
  };
}
