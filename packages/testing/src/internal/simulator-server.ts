/**
 * The engine under every vendor simulator: the `node:http` server, the clock, the access-token
 * registry behind the protected API, counters and log. A vendor module supplies only what its
 * document says: the token endpoint's path and judgement, and any extra API rule.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  Simulator,
  SimulatorOptions,
  SimulatorRequest,
  SimulatorStats,
  VendorName,
} from '../simulator.ts';
import { bearerToken, type ReadBody, readBody, sendJson } from './http.ts';

/** What the token endpoint answers; `grantType` and `error` go to the log. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly grantType?: string | undefined;
  readonly error?: string | undefined;
}

/** What a vendor module can use while judging a request. */
export interface Engine {
  /** The simulator's clock, skew included. */
  now(): number;
  /** The current token lifetime, in ms. */
  lifetimeMs(): number;
  /** Registers an access token the API accepts until `expiresAt` (simulator clock). */
  issue(accessToken: string, expiresAt: number): void;
}

/** A vendor module's part. */
export interface VendorSpec {
  readonly vendor: VendorName;
  readonly tokenPath: string;
  readonly defaultLifetimeSeconds: number;
  /** The shortest lifetime the vendor's answer can express, in seconds. @default 0 (any positive) */
  readonly minLifetimeSeconds?: number | undefined;
  readonly options: SimulatorOptions;
  /** Judges a POST to the token path. */
  token(req: IncomingMessage, body: ReadBody, engine: Engine): Answer | Promise<Answer>;
  /** An extra rule of the API, checked after the token was accepted; an answer refuses the call. */
  api?(req: IncomingMessage): Answer | undefined;
  /** Revokes a token the engine does not know (a refresh token); whether it was known. */
  revokeOther?(token: string): boolean;
  /** Revokes every such token; how many. */
  revokeAllOther?(): number;
}

export const apiPrefix = '/api';

function lifetimeValidator(min: number): (value: number) => number {
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value < min) {
      throw new RangeError(
        min > 0
          ? `lifetimeSeconds must be at least ${min} seconds`
          : 'lifetimeSeconds must be a positive number of seconds',
      );
    }
    return value;
  };
}

function validSkew(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError('clockSkewMs must be a finite number');
  return value;
}

function validLatency(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError('tokenLatencyMs must be a non-negative number');
  return value;
}

/** Starts the server on 127.0.0.1, port 0, and returns the simulator. */
export async function startSimulatorServer(spec: VendorSpec): Promise<Simulator> {
  const clock = spec.options.now ?? Date.now;
  if (typeof clock !== 'function') throw new TypeError('now must be a function');
  const validLifetime = lifetimeValidator(spec.minLifetimeSeconds ?? 0);
  let lifetimeSeconds = validLifetime(spec.options.lifetimeSeconds ?? spec.defaultLifetimeSeconds);
  let clockSkewMs = validSkew(spec.options.clockSkewMs ?? 0);
  let tokenLatencyMs = validLatency(spec.options.tokenLatencyMs ?? 0);
  const maxLogEntries = spec.options.maxLogEntries ?? 10_000;
  if (!Number.isInteger(maxLogEntries) || maxLogEntries < 0)
    throw new RangeError('maxLogEntries must be a non-negative integer');
  /** Pending latency timers, released by close(). */
  const delays = new Map<ReturnType<typeof setTimeout>, () => void>();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });

  const stats: SimulatorStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    tokenErrors: 0,
    apiCalls: 0,
    apiRejected: 0,
  };
  const log: SimulatorRequest[] = [];
  /** Access token -> expiry on the simulator's clock. */
  const issued = new Map<string, number>();
  const revoked = new Set<string>();
  const now = (): number => clock() + clockSkewMs;

  const engine: Engine = {
    now,
    lifetimeMs: () => lifetimeSeconds * 1000,
    issue: (accessToken, expiresAt) => {
      issued.set(accessToken, expiresAt);
    },
  };

  const accepts = (accessToken: string): boolean => {
    const expiresAt = issued.get(accessToken);
    return expiresAt !== undefined && !revoked.has(accessToken) && now() < expiresAt;
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    kind: SimulatorRequest['kind'],
    result: Answer,
    body?: ReadBody,
  ): void => {
    const at = now();
    if (log.length >= maxLogEntries) log.splice(0, log.length - maxLogEntries + 1);
    if (maxLogEntries > 0)
      log.push({
        kind,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        status: result.status,
        grantType: result.grantType,
        fields: body?.fields === undefined ? undefined : Object.keys(body.fields),
        error: result.error,
        at,
      });
    sendJson(res, result.status, result.body, at, result.headers);
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.tokenRequests++;
    if (req.method !== 'POST') {
      stats.tokenErrors++;
      req.resume();
      return answer(req, res, 'token', {
        status: 405,
        body: { error: 'method_not_allowed' },
        headers: { Allow: 'POST' },
        error: 'method_not_allowed',
      });
    }
    const body = await readBody(req);
    if (tokenLatencyMs > 0) await delay(tokenLatencyMs);
    const result = await spec.token(req, body, engine);
    if (result.status >= 200 && result.status < 300) stats.tokensIssued++;
    else stats.tokenErrors++;
    answer(req, res, 'token', result, body);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.apiCalls++;
    const body = await readBody(req); // drained so keep-alive works; echoed as received
    const token = bearerToken(req);
    if (token === undefined || !accepts(token)) {
      stats.apiRejected++;
      const error = token === undefined ? 'invalid_request' : 'invalid_token';
      return answer(req, res, 'api', {
        status: 401,
        body: { error },
        headers: {
          'WWW-Authenticate': token === undefined ? 'Bearer' : 'Bearer error="invalid_token"',
        },
        error,
      });
    }
    const refusal = spec.api?.(req);
    if (refusal) {
      stats.apiRejected++;
      return answer(req, res, 'api', refusal);
    }
    const url = new URL(req.url ?? '/', 'http://simulator');
    answer(req, res, 'api', {
      status: 200,
      body: {
        vendor: spec.vendor,
        method: req.method,
        path: url.pathname.slice(apiPrefix.length),
        query: Object.fromEntries(url.searchParams),
        ...(body.fields === undefined ? {} : { body: body.fields }),
      },
    });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const handled =
      path === spec.tokenPath
        ? handleToken(req, res)
        : path === apiPrefix || path.startsWith(`${apiPrefix}/`)
          ? handleApi(req, res)
          : Promise.resolve(
              answer(req, res, 'other', { status: 404, body: { error: 'not_found' } }),
            );
    handled.catch(() => {
      if (!res.headersSent)
        answer(req, res, 'other', { status: 500, body: { error: 'server_error' } });
      else res.destroy();
    });
  });
  // Keep-alive sockets must not hold `close()` up, nor the process open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const [timer, release] of delays) {
        clearTimeout(timer);
        release();
      }
      delays.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    vendor: spec.vendor,
    origin,
    tokenUrl: `${origin}${spec.tokenPath}`,
    apiUrl: `${origin}${apiPrefix}`,
    stats,
    log,
    get lifetimeSeconds() {
      return lifetimeSeconds;
    },
    set lifetimeSeconds(value: number) {
      lifetimeSeconds = validLifetime(value);
    },
    get clockSkewMs() {
      return clockSkewMs;
    },
    set clockSkewMs(value: number) {
      clockSkewMs = validSkew(value);
    },
    get tokenLatencyMs() {
      return tokenLatencyMs;
    },
    set tokenLatencyMs(value: number) {
      tokenLatencyMs = validLatency(value);
    },
    now,
    revoke(token) {
      if (issued.has(token) && !revoked.has(token)) {
        revoked.add(token);
        return true;
      }
      return spec.revokeOther?.(token) ?? false;
    },
    revokeAll() {
      let count = 0;
      for (const token of issued.keys()) {
        if (!revoked.has(token)) {
          revoked.add(token);
          count++;
        }
      }
      return count + (spec.revokeAllOther?.() ?? 0);
    },
    accepts,
    resetStats() {
      for (const key of Object.keys(stats) as (keyof SimulatorStats)[]) stats[key] = 0;
      log.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
