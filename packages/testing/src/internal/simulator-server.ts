/**
 * The engine under every vendor simulator: the `node:http` server, the clock, the access-token
 * registry behind the protected API, counters and log. A vendor module supplies only what its
 * document says: the token endpoint's path and judgement, and any extra API rule. Requests are
 * read and answers written by the test kit's node bridge; its `Waits` hold the token latency.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type RecordedRequest,
  readRequest,
  Waits,
  writeResponse,
} from '@tokenwise/test-kit/server';
import type { Simulator, SimulatorRequest, SimulatorStats } from '../simulator.ts';
import { bearerToken, bodyOf, jsonAnswer, type ReadBody } from './http.ts';
import { checkLatency, checkLogSize, checkSkew, lifetimeCheck } from './simulator-settings.ts';
import type { Answer, Engine, VendorSpec } from './vendor-spec.ts';

/**
 * The protected API lives below this path.
 *
 * @example
 * ```ts
 * await fetch(`${sim.origin}${apiPrefix}/bookings`, { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export const apiPrefix = '/api';

/**
 * Starts the server on 127.0.0.1, port 0, and returns the simulator.
 *
 * @example
 * ```ts
 * const simulator = await startSimulatorServer({ vendor: 'pa', tokenPath: '/auth/connect/token',
 *   defaultLifetimeSeconds: 90_000, options, token: (request, body, engine) => judge(body, engine) });
 * ```
 */
export async function startSimulatorServer(spec: VendorSpec): Promise<Simulator> {
  const clock = spec.options.now ?? Date.now;
  if (typeof clock !== 'function') throw new TypeError('now must be a function');
  const checkLifetime = lifetimeCheck(spec.minLifetimeSeconds ?? 0);
  let lifetimeSeconds = checkLifetime(spec.options.lifetimeSeconds ?? spec.defaultLifetimeSeconds);
  let clockSkewMs = checkSkew(spec.options.clockSkewMs ?? 0);
  let tokenLatencyMs = checkLatency(spec.options.tokenLatencyMs ?? 0);
  const maxLogEntries = checkLogSize(spec.options.maxLogEntries ?? 10_000);
  /** Latency waits, released by close(). */
  const waits = new Waits();

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
    request: RecordedRequest,
    res: ServerResponse,
    kind: SimulatorRequest['kind'],
    result: Answer,
    body?: ReadBody,
  ): Promise<void> => {
    const at = now();
    if (log.length >= maxLogEntries) log.splice(0, log.length - maxLogEntries + 1);
    if (maxLogEntries > 0)
      log.push({
        kind,
        method: request.method,
        path: `${request.path}${request.url.search}`,
        status: result.status,
        grantType: result.grantType,
        fields: body?.fields === undefined ? undefined : Object.keys(body.fields),
        error: result.error,
        at,
      });
    return writeResponse(res, jsonAnswer(result.status, result.body, at, result.headers));
  };

  const handleToken = async (request: RecordedRequest, res: ServerResponse): Promise<void> => {
    stats.tokenRequests++;
    if (request.method !== 'POST') {
      stats.tokenErrors++;
      return answer(request, res, 'token', {
        status: 405,
        body: { error: 'method_not_allowed' },
        headers: { Allow: 'POST' },
        error: 'method_not_allowed',
      });
    }
    const body = bodyOf(request);
    await waits.sleep(tokenLatencyMs);
    const result = await spec.token(request, body, engine);
    if (result.status >= 200 && result.status < 300) stats.tokensIssued++;
    else stats.tokenErrors++;
    return answer(request, res, 'token', result, body);
  };

  const handleApi = async (request: RecordedRequest, res: ServerResponse): Promise<void> => {
    stats.apiCalls++;
    const body = bodyOf(request); // echoed as received
    const token = bearerToken(request);
    if (token === undefined || !accepts(token)) {
      stats.apiRejected++;
      const error = token === undefined ? 'invalid_request' : 'invalid_token';
      return answer(request, res, 'api', {
        status: 401,
        body: { error },
        headers: {
          'WWW-Authenticate': token === undefined ? 'Bearer' : 'Bearer error="invalid_token"',
        },
        error,
      });
    }
    const refusal = spec.api?.(request);
    if (refusal) {
      stats.apiRejected++;
      return answer(request, res, 'api', refusal);
    }
    return answer(request, res, 'api', {
      status: 200,
      body: {
        vendor: spec.vendor,
        method: request.method,
        path: request.path.slice(apiPrefix.length),
        query: Object.fromEntries(request.url.searchParams),
        ...(body.fields === undefined ? {} : { body: body.fields }),
      },
    });
  };

  const handle = async (request: RecordedRequest, res: ServerResponse): Promise<void> => {
    const { path } = request;
    if (path === spec.tokenPath) return handleToken(request, res);
    if (path === apiPrefix || path.startsWith(`${apiPrefix}/`)) return handleApi(request, res);
    return answer(request, res, 'other', { status: 404, body: { error: 'not_found' } });
  };

  const server = createServer();
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
  const serve = async (incoming: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = await readRequest(incoming, origin);
    try {
      await handle(request, res);
    } catch {
      if (res.headersSent) res.destroy();
      else await answer(request, res, 'other', { status: 500, body: { error: 'server_error' } });
    }
  };
  server.on('request', (incoming, res) => void serve(incoming, res).catch(() => res.destroy()));

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      waits.close();
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
      lifetimeSeconds = checkLifetime(value);
    },
    get clockSkewMs() {
      return clockSkewMs;
    },
    set clockSkewMs(value: number) {
      clockSkewMs = checkSkew(value);
    },
    get tokenLatencyMs() {
      return tokenLatencyMs;
    },
    set tokenLatencyMs(value: number) {
      tokenLatencyMs = checkLatency(value);
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
