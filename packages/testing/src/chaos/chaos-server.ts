/**
 * A loopback token endpoint and API that misbehave on purpose, for chaos tests.
 *
 * - `POST /token` speaks RFC 6749 client credentials and refresh token grants (form or JSON body,
 *   `client_secret_post` or `client_secret_basic`) and rotates refresh tokens with a grace of one:
 *   the previous refresh token stays valid until its successor is used, so an answer lost on the
 *   way does not strand the client. Each request draws a {@link TokenFault}.
 * - Every other path is the API: each request draws an {@link ApiFault}, then answers 200 to a
 *   bearer token that the server issued and that is neither revoked nor expired, else 401.
 * - The server is the ground truth: it knows when each token it issued expires (the moment it
 *   answered plus `expires_in`), which tokens it revoked, and counts everything per client.
 *
 * `close()` ends every connection and pending delay, so a test leaves nothing running.
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleeper } from './timers.ts';

/**
 * What the chaos token endpoint does with one token request.
 *
 * - `ok`: issues a token.
 * - `503`: an HTML "Service Unavailable" page (retried by the manager).
 * - `429`: `{ "error": "slow_down" }` with `Retry-After` (retried after that wait).
 * - `slow`: issues a token after a delay shorter than the client's timeout.
 * - `stall`: never answers; the client's per-attempt timeout ends it (retried).
 * - `reset`: destroys the connection before answering (a network error, retried).
 * - `lost-answer`: issues a token, then destroys the connection half-way through the body: the
 *   server acted, the client never heard (a rotated refresh token must survive this).
 * - `malformed-json`: 200 with a truncated JSON body.
 * - `html`: 200 with an HTML login page.
 * - `error-200`: 200 with `{ "error": "server_error" }`.
 */
export type TokenFault =
  | 'ok'
  | '503'
  | '429'
  | 'slow'
  | 'stall'
  | 'reset'
  | 'lost-answer'
  | 'malformed-json'
  | 'html'
  | 'error-200';

/**
 * What the chaos API does with one request.
 *
 * - `ok`: 200 when the bearer token is one the server issued, not revoked and not expired; else 401.
 * - `revoke`: revokes the presented token, then answers 401 (as after a password change).
 * - `spurious-401`: answers 401 and leaves the token valid (a flaky gateway).
 * - `503`: answers 503.
 */
export type ApiFault = 'ok' | 'revoke' | 'spurious-401' | '503';

/** Every token-endpoint fault, in a stable order (for schedules and reports). */
export const tokenFaults: readonly TokenFault[] = [
  'ok',
  '503',
  '429',
  'slow',
  'stall',
  'reset',
  'lost-answer',
  'malformed-json',
  'html',
  'error-200',
];

/** Every API fault, in a stable order. */
export const apiFaults: readonly ApiFault[] = ['ok', 'revoke', 'spurious-401', '503'];

/**
 * The default token-endpoint mix: about one request in three goes wrong, one in ten in a way
 * that is not retried (a 2xx that is no token).
 *
 * @example
 * ```ts
 * startChaosServer({ random, tokenFaultWeights: { ...defaultTokenFaultWeights, stall: 0 } });
 * ```
 */
export const defaultTokenFaultWeights: Readonly<Record<TokenFault, number>> = Object.freeze({
  ok: 64,
  '503': 7,
  '429': 4,
  slow: 7,
  stall: 3,
  reset: 4,
  'lost-answer': 3,
  'malformed-json': 3,
  html: 3,
  'error-200': 2,
});

/**
 * The default API mix: one request in twenty goes wrong.
 *
 * @example
 * ```ts
 * startChaosServer({ random, apiFaultWeights: { ...defaultApiFaultWeights, revoke: 10 } });
 * ```
 */
export const defaultApiFaultWeights: Readonly<Record<ApiFault, number>> = Object.freeze({
  ok: 95,
  revoke: 2,
  'spurious-401': 1,
  '503': 2,
});

/**
 * The random decisions the server draws (a {@link SeededRandom} from seeded-random.ts fits).
 * Declared here so that this module imports nothing relative (see the note in chaos.chaos.test.ts).
 */
export interface RandomSource {
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

/** A client the token endpoint knows. */
export interface ChaosClient {
  readonly id: string;
  readonly secret: string;
  /** A refresh token the server accepts for this client at the start. */
  readonly refreshToken?: string | undefined;
}

/** Options of {@link startChaosServer}. */
export interface ChaosServerOptions {
  /** Every fault is drawn from this source. */
  readonly random: RandomSource;
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

/** What the server saw and did for one client. */
export interface ChaosClientStats {
  /** HTTP requests to the token endpoint (every attempt, whatever its fate). */
  tokenRequests: number;
  /** Access tokens issued (including those whose answer was lost). */
  issued: number;
  /** Distinct access tokens the API answered 401 to (revoked, spurious, expired, …). */
  readonly refused: Set<string>;
  /** Refresh-token grants rejected with invalid_grant. */
  invalidGrants: number;
}

/** An access token as the server issued it. */
export interface IssuedToken {
  readonly clientId: string;
  /** Epoch ms (real clock): when the answer was written plus `expires_in`. */
  readonly expiresAt: number;
  revoked: boolean;
}

export interface ChaosServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  /** `${origin}/token` */
  readonly tokenUrl: string;
  /** Token-endpoint requests per fault drawn. */
  readonly tokenFaultCounts: Record<TokenFault, number>;
  /** API requests per answer: `200`, `401 revoked`, `401 spurious`, `401 expired`, `401 unknown`, `503`. */
  readonly apiAnswers: Record<string, number>;
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
 * // … drive traffic at `${server.origin}/api/…` …
 * await server.close();
 * ```
 */
export async function startChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  const random = options.random;
  const tokenWeights = options.tokenFaultWeights ?? defaultTokenFaultWeights;
  const apiWeights = options.apiFaultWeights ?? defaultApiFaultWeights;
  const tokenSchedule = [...(options.tokenFaultSchedule ?? [])];
  const apiSchedule = [...(options.apiFaultSchedule ?? [])];
  const lifetimes = options.lifetimesSeconds ?? [2, 3, 4];
  const [slowMin, slowMax] = options.slowMs ?? [100, 600];
  const [apiDelayMin, apiDelayMax] = options.apiDelayMs ?? [0, 3];
  const retryAfter = String(options.retryAfterSeconds ?? 1);

  const clients = new Map(options.clients.map((client) => [client.id, client]));
  const stats = new Map<string, ChaosClientStats>(
    options.clients.map((client) => [
      client.id,
      { tokenRequests: 0, issued: 0, refused: new Set(), invalidGrants: 0 },
    ]),
  );
  /** Per client: the refresh tokens it may present (the latest, and the one before it). */
  const refreshTokens = new Map<string, Set<string>>(
    options.clients.map((client) => [
      client.id,
      new Set(client.refreshToken === undefined ? [] : [client.refreshToken]),
    ]),
  );
  const ledger = new Map<string, IssuedToken>();
  const tokenFaultCounts = Object.fromEntries(tokenFaults.map((f) => [f, 0])) as Record<
    TokenFault,
    number
  >;
  const apiAnswers: Record<string, number> = {};
  const timers = sleeper();
  const issuedRefreshTokens: string[] = [];
  let gate: { promise: Promise<void>; release: () => void } | undefined;
  let counter = 0;

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  /** Authenticates the client and runs the grant: a token answer, or an RFC 6749 error. */
  const grant = (
    params: Record<string, string>,
    authorization: string | undefined,
  ): { status: number; body: Record<string, unknown> } => {
    const basic = authorization?.match(/^Basic (.+)$/)?.[1];
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic, 'base64')
          .toString()
          .split(':')
          .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')))
      : [];
    const id = params.client_id ?? basicId ?? '';
    const client = clients.get(id);
    if (client === undefined || (params.client_secret ?? basicSecret) !== client.secret)
      return { status: 401, body: { error: 'invalid_client' } };
    const clientStats = stats.get(id) as ChaosClientStats;
    const valid = refreshTokens.get(id) as Set<string>;
    let refreshToken: string | undefined;
    if (params.grant_type === 'refresh_token') {
      const presented = params.refresh_token ?? '';
      if (!valid.has(presented)) {
        clientStats.invalidGrants++;
        return { status: 400, body: { error: 'invalid_grant' } };
      }
      refreshToken = `rt.${id}.${++counter}`;
      issuedRefreshTokens.push(refreshToken);
      // Grace of one: the presented token stays valid until its successor is used.
      valid.clear();
      valid.add(presented);
      valid.add(refreshToken);
    } else if (params.grant_type !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const lifetime = random.pick(lifetimes);
    const accessToken = `at.${id}.${++counter}.${random.int(0, 0xffffff).toString(16)}`;
    ledger.set(accessToken, {
      clientId: id,
      expiresAt: Date.now() + lifetime * 1000,
      revoked: false,
    });
    clientStats.issued++;
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: lifetime,
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      },
    };
  };

  const handleToken = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
  ): Promise<void> => {
    const params = parseParams(body, req.headers['content-type']);
    const basicId = basicClientId(req.headers.authorization);
    const clientStats = stats.get(params.client_id ?? basicId ?? '');
    if (clientStats) clientStats.tokenRequests++;
    if (gate) await gate.promise;
    const fault = tokenSchedule.shift() ?? random.weighted(tokenWeights);
    tokenFaultCounts[fault]++;
    switch (fault) {
      case '503':
        return send(res, 503, '<html><body>Service Unavailable</body></html>', {
          'content-type': 'text/html',
        });
      case '429':
        return send(res, 429, '{"error":"slow_down"}', { 'retry-after': retryAfter });
      case 'stall':
        // Never answers: the client's timeout closes the connection (or close() does).
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'malformed-json':
        return send(res, 200, '{"access_token":"at.truncated","expires_in":');
      case 'html':
        return send(res, 200, '<!doctype html><title>Sign in</title><form></form>', {
          'content-type': 'text/html',
        });
      case 'error-200':
        return send(res, 200, '{"error":"server_error","error_description":"try again later"}');
      case 'slow':
        await timers.sleep(random.int(slowMin, slowMax));
        break;
      default:
        break;
    }
    if (res.destroyed) return; // the client gave up waiting: nothing is issued
    const answer = grant(params, req.headers.authorization);
    const text = JSON.stringify(answer.body);
    if (fault === 'lost-answer') {
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    send(res, answer.status, text, { 'cache-control': 'no-store' });
  };

  const refuse = (res: ServerResponse, token: string | undefined, reason: string): void => {
    const entry = token === undefined ? undefined : ledger.get(token);
    if (entry && token !== undefined) stats.get(entry.clientId)?.refused.add(token);
    count(`401 ${reason}`);
    send(res, 401, '{"error":"invalid_token"}', { 'www-authenticate': 'Bearer' });
  };

  const count = (answer: string): void => {
    apiAnswers[answer] = (apiAnswers[answer] ?? 0) + 1;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const fault = apiSchedule.shift() ?? random.weighted(apiWeights);
    const wait = random.int(apiDelayMin, apiDelayMax);
    if (wait > 0) await timers.sleep(wait);
    const token = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const entry = token === undefined ? undefined : ledger.get(token);
    if (fault === '503') {
      count('503');
      return send(res, 503, '{"error":"unavailable"}');
    }
    if (entry === undefined) return refuse(res, token, 'unknown');
    if (fault === 'revoke') {
      entry.revoked = true;
      return refuse(res, token, 'revoked now');
    }
    if (fault === 'spurious-401') return refuse(res, token, 'spurious');
    if (entry.revoked) return refuse(res, token, 'revoked');
    if (Date.now() >= entry.expiresAt) return refuse(res, token, 'expired');
    count('200');
    send(res, 200, '{"ok":true}');
  };

  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const handled =
        path === '/token' && req.method === 'POST'
          ? handleToken(req, res, body)
          : handleApi(req, res);
      handled.catch(() => {
        if (!res.headersSent) send(res, 500, '{"error":"chaos server bug"}');
      });
    });
  });
  // A client that gives up resets its connection: nothing to report.
  http.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;

  return {
    origin,
    tokenUrl: `${origin}/token`,
    tokenFaultCounts,
    apiAnswers,
    stats,
    issued: (accessToken) => ledger.get(accessToken),
    issuedTokens: () => [...ledger.keys(), ...issuedRefreshTokens],
    queueTokenFaults: (...faults) => {
      tokenSchedule.push(...faults);
    },
    holdTokens() {
      let release!: () => void;
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const current = { promise, release };
      gate = current;
      return () => {
        if (gate === current) gate = undefined;
        release();
      };
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        gate?.release();
        timers.cancelAll();
        http.closeAllConnections();
        http.close(() => resolve());
      });
      return closed;
    },
  };
}

function basicClientId(authorization: string | undefined): string | undefined {
  const basic = authorization?.match(/^Basic (.+)$/)?.[1];
  if (basic === undefined) return undefined;
  const [id = ''] = Buffer.from(basic, 'base64').toString().split(':');
  return decodeURIComponent(id.replace(/\+/g, ' '));
}

function parseParams(body: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null)
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(body));
}
