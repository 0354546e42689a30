/**
 * The adapters' real loopback server: `POST /token` issues client-credentials tokens (`tok-1`,
 * `tok-2`, …), every other path is a bearer-protected API that records what it receives. It
 * listens on 127.0.0.1, port 0, and `close()` closes every connection.
 *
 * - `/public/*` answers 200 without a token; `/always-401` (and every path below it) answers 401
 *   whatever the token.
 * - `/redirect?to=…&status=…` redirects; `/hang` never answers; `/drop` closes the connection
 *   without an answer.
 * - Other paths answer 200 with an echo when the bearer token is one it issued and did not revoke
 *   (or what `failAuthorized` scripted for that path).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The client the token endpoint knows. */
export const clientId = 'kit-client';
/** The secret of {@link clientId}. */
export const clientSecret = 'kit-secret-5d1c';

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** Every header, as Node decodes them (latin1: one character per byte). */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A running {@link startServer} server. */
export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:41234`, or `http://localhost:41234` */
  readonly origin: string;
  /** `${origin}/token` */
  readonly tokenUrl: string;
  /** `${origin}${path}` */
  url(path: string): string;
  readonly tokenRequests: RecordedRequest[];
  /** API requests (every path but `/token`), in arrival order. */
  readonly apiCalls: RecordedRequest[];
  /** Access tokens issued, in order. */
  readonly issued: string[];
  /** `token_type` of issued tokens. @default 'Bearer' */
  tokenType: string;
  /** The next token answers are these errors instead of tokens. */
  failTokens(...answers: { status: number; body: unknown }[]): void;
  /** The next API answers are these statuses (before any token check). */
  failApi(...statuses: number[]): void;
  /** The next requests to `path` that the token check lets through get these statuses instead. */
  failAuthorized(path: string, ...statuses: number[]): void;
  /** The next requests to `path` get these statuses, whatever token they carry (or none). */
  failPath(path: string, ...statuses: number[]): void;
  /** Every issued token is rejected from now on (tokens issued later are valid). */
  revokeAll(): void;
  /** Holds token answers until the returned function is called. */
  holdTokens(): () => void;
  /** Resolves once `n` token requests have arrived. */
  tokenRequestsReached(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a {@link LoopbackServer} on 127.0.0.1, port 0. `hostname` names it in `origin` (another
 * origin for the same machine: `localhost`).
 *
 * @example
 * const api = await startServer();
 * const other = await startServer('localhost');
 * const tokens = createTokenManager({
 *   flow: clientCredentials({ tokenUrl: api.tokenUrl, clientId, clientSecret }),
 * });
 * // …
 * await Promise.all([api.close(), other.close()]);
 */
export async function startServer(hostname = '127.0.0.1'): Promise<LoopbackServer> {
  const tokenRequests: RecordedRequest[] = [];
  const apiCalls: RecordedRequest[] = [];
  const issued: string[] = [];
  const valid = new Set<string>();
  const tokenFailures: { status: number; body: unknown }[] = [];
  const apiFailures: number[] = [];
  const pathFailures = new Map<string, number[]>();
  const authorizedFailures = new Map<string, number[]>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let gate: Promise<void> | undefined;
  let release = (): void => {};

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const token = async (req: RecordedRequest, res: ServerResponse): Promise<void> => {
    tokenRequests.push(req);
    for (const waiter of waiters.filter((w) => tokenRequests.length >= w.n)) waiter.resolve();
    await gate;
    const failure = tokenFailures.shift();
    if (failure) return send(res, failure.status, failure.body);
    const params = new URLSearchParams(req.body);
    if (params.get('client_id') !== clientId || params.get('client_secret') !== clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const accessToken = `tok-${issued.length + 1}`;
    issued.push(accessToken);
    valid.add(accessToken);
    send(res, 200, { access_token: accessToken, token_type: server.tokenType, expires_in: 3600 });
  };

  const api = (req: RecordedRequest, url: URL, res: ServerResponse): void => {
    apiCalls.push(req);
    const failure = apiFailures.shift() ?? pathFailures.get(req.path)?.shift();
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const allowed =
      req.path.startsWith('/public') ||
      (!req.path.startsWith('/always-401') && bearer !== undefined && valid.has(bearer));
    if (failure !== undefined) {
      send(res, failure, { error: 'scripted' });
    } else if (req.path === '/hang') {
      // Never answered: `close()` closes the connection.
    } else if (req.path === '/drop') {
      res.socket?.destroy();
    } else if (req.path === '/redirect') {
      res.writeHead(Number(url.searchParams.get('status') ?? 302), {
        location: url.searchParams.get('to') ?? '/',
      });
      res.end();
    } else if (!allowed) {
      send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' });
    } else if (authorizedFailures.get(req.path)?.length) {
      send(res, authorizedFailures.get(req.path)?.shift() ?? 500, { error: 'scripted' });
    } else {
      send(res, 200, {
        authorization: req.headers.authorization ?? null,
        tenant: req.headers['x-tenant-id'] ?? null,
        method: req.method,
        body: req.body,
      });
    }
  };

  const http = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://server');
      const req: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString(),
      };
      if (url.pathname === '/token') void token(req, res);
      else api(req, url, res);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://${hostname}:${(http.address() as AddressInfo).port}`;

  const server: LoopbackServer = {
    origin,
    tokenUrl: `${origin}/token`,
    url: (path) => `${origin}${path}`,
    tokenRequests,
    apiCalls,
    issued,
    tokenType: 'Bearer',
    failTokens: (...answers) => void tokenFailures.push(...answers),
    failApi: (...statuses) => void apiFailures.push(...statuses),
    failAuthorized: (path, ...statuses) =>
      void authorizedFailures.set(path, [...(authorizedFailures.get(path) ?? []), ...statuses]),
    failPath: (path, ...statuses) =>
      void pathFailures.set(path, [...(pathFailures.get(path) ?? []), ...statuses]),
    revokeAll: () => valid.clear(),
    holdTokens() {
      gate = new Promise((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return () => release();
    },
    tokenRequestsReached: (n) =>
      tokenRequests.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => void waiters.push({ n, resolve })),
    async close() {
      release();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}

/**
 * The origin of a loopback port nothing listens on: connecting to it is refused.
 *
 * @example
 * const closed = await closedPortOrigin();
 * await expect(fetch(`${closed}/members`)).rejects.toThrow('fetch failed');
 */
export async function closedPortOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
