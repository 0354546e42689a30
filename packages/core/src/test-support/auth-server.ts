/**
 * A real loopback OAuth token endpoint and bearer-protected API on `node:http`, for tests.
 *
 * - `POST /token` speaks RFC 6749 (client credentials, authorization code, refresh token; form or
 *   JSON bodies; client_secret_post or client_secret_basic), rotates refresh tokens, and can be
 *   scripted: queued answers, delays, a gate that holds answers until released.
 * - Every other path is the API: it answers 200 with an echo of the request when the bearer token
 *   is one it issued, not revoked and not expired, else 401. `/redirect?to=…&status=…` redirects.
 * - Everything is counted and recorded. `close()` closes every connection and releases held
 *   answers, so a test that forgets nothing leaves nothing running.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export const clientId = 'client-7f3a';
export const clientSecret = 'client-secret-0b8e41c2';

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Buffer;
  readonly body: string;
  /** The body's parameters (form or JSON object), for token requests. */
  readonly params: Record<string, string>;
}

/** A scripted answer of the token endpoint, used once instead of issuing a token. */
export interface ScriptedAnswer {
  readonly status?: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Take over the response completely (chunked bodies, destroyed sockets…). */
  readonly write?: (res: ServerResponse) => void;
}

export interface AuthServerOptions {
  /** The host name in `url` (the server always listens on 127.0.0.1). @default '127.0.0.1' */
  readonly hostname?: string;
}

export interface AuthServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  /** `${origin}/token` */
  readonly tokenUrl: string;
  /** `${origin}${path}` */
  url(path: string): string;

  readonly tokenRequests: RecordedRequest[];
  readonly apiCalls: RecordedRequest[];
  /** Access tokens issued, in order. */
  readonly issued: string[];

  /** Token lifetime sent as `expires_in` (seconds); `undefined` omits it. @default 3600 */
  expiresIn: number | undefined;
  /** `token_type` sent. @default 'Bearer' */
  tokenType: string;
  /** Issue a new refresh token on each refresh ('rotate') or omit `refresh_token` ('omit'). */
  refreshTokens: 'rotate' | 'omit';
  /** Extra fields in every token answer. */
  extraFields: Record<string, unknown>;
  /** Delay of every token answer, in ms. */
  tokenDelayMs: number;
  /** Delay of every API answer, in ms. */
  apiDelayMs: number;
  /** The API answers 401 whatever the token. */
  apiAlways401: boolean;

  /** Queue answers for the next token requests (one each). */
  script(...answers: ScriptedAnswer[]): void;
  /** Hold token answers until the returned function is called. */
  holdTokens(): () => void;
  /** Make a refresh token or an authorization code acceptable. */
  acceptRefreshToken(token: string): void;
  acceptCode(code: string): void;
  /** Revoke an access token: the API answers 401 to it from now on. */
  revoke(accessToken: string): void;
  /** Resolves when `n` token requests have arrived (whether answered or not). */
  tokenRequestsReached(n: number): Promise<void>;
  close(): Promise<void>;
}

const open = new Set<AuthServer>();

/** Closes every server still open (for an `afterEach`). */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map((server) => server.close()));
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const tokenRequests: RecordedRequest[] = [];
  const apiCalls: RecordedRequest[] = [];
  const issued: string[] = [];
  const valid = new Map<string, number>(); // access token -> expiry (epoch ms, real clock)
  const refreshTokens = new Set<string>();
  const codes = new Set<string>();
  const queue: ScriptedAnswer[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let gate: Promise<void> | undefined;
  let releaseGate: (() => void) | undefined;
  let counter = 0;
  let closed = false;
  const pendingTimers = new Set<ReturnType<typeof setTimeout>>();

  const delay = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            pendingTimers.delete(timer);
            resolve();
          }, ms);
          pendingTimers.add(timer);
        });

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handleToken = async (req: RecordedRequest, res: ServerResponse): Promise<void> => {
    tokenRequests.push(req);
    for (const waiter of waiters.filter((w) => tokenRequests.length >= w.n)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (gate) await gate;
    await delay(server.tokenDelayMs);
    const answer = queue.shift();
    if (answer) {
      await delay(answer.delayMs ?? 0);
      if (res.destroyed) return;
      if (answer.write) return answer.write(res);
      const text =
        typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, {
        'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
        ...answer.headers,
      });
      res.end(text);
      return;
    }
    const { params } = req;
    const basic = req.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic, 'base64')
          .toString()
          .split(':')
          .map((part) => decodeURIComponent(part))
      : [];
    const id = params.client_id ?? basicId;
    const secret = params.client_secret ?? basicSecret;
    if (id !== clientId || (secret !== undefined && secret !== clientSecret)) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client unknown' });
    }
    let refreshToken: string | undefined;
    switch (params.grant_type) {
      case 'client_credentials':
        if (secret === undefined) return json(res, 401, { error: 'invalid_client' });
        break;
      case 'authorization_code':
        if (!params.code || !codes.delete(params.code))
          return json(res, 400, { error: 'invalid_grant', error_description: 'Code invalid' });
        refreshToken = `refresh-${++counter}`;
        break;
      case 'refresh_token': {
        const presented = params.refresh_token;
        if (!presented || !refreshTokens.has(presented))
          return json(res, 400, {
            error: 'invalid_grant',
            error_description: 'Refresh token invalid',
          });
        if (server.refreshTokens === 'rotate') {
          refreshTokens.delete(presented);
          refreshToken = `refresh-${++counter}`;
        }
        break;
      }
      default:
        return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (refreshToken) refreshTokens.add(refreshToken);
    const accessToken = `access-${++counter}`;
    issued.push(accessToken);
    valid.set(
      accessToken,
      server.expiresIn === undefined
        ? Number.POSITIVE_INFINITY
        : Date.now() + server.expiresIn * 1000,
    );
    json(
      res,
      200,
      {
        access_token: accessToken,
        token_type: server.tokenType,
        ...(server.expiresIn === undefined ? {} : { expires_in: server.expiresIn }),
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        ...server.extraFields,
      },
      { 'cache-control': 'no-store' },
    );
  };

  const handleApi = async (req: RecordedRequest, res: ServerResponse): Promise<void> => {
    apiCalls.push(req);
    await delay(server.apiDelayMs);
    if (req.path === '/redirect') {
      const to = req.url.searchParams.get('to') ?? '/';
      res.writeHead(Number(req.url.searchParams.get('status') ?? 302), { location: to });
      res.end();
      return;
    }
    const presented = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const expiry = presented === undefined ? undefined : valid.get(presented);
    const ok =
      !server.apiAlways401 &&
      (req.path.startsWith('/public') || (expiry !== undefined && Date.now() < expiry));
    if (!ok) {
      return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' });
    }
    json(res, 200, {
      method: req.method,
      path: req.path,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      body: req.body,
    });
  };

  const http: Server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString();
      const url = new URL(incoming.url ?? '/', server.origin);
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        url,
        headers: incoming.headers,
        bytes,
        body,
        params: parseParams(body, incoming.headers['content-type']),
      };
      const handler = url.pathname === '/token' ? handleToken : handleApi;
      handler(recorded, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) json(res, 500, { error: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://${options.hostname ?? '127.0.0.1'}:${port}`;

  const server: AuthServer = {
    origin,
    tokenUrl: `${origin}/token`,
    url: (path) => `${origin}${path}`,
    tokenRequests,
    apiCalls,
    issued,
    expiresIn: 3600,
    tokenType: 'Bearer',
    refreshTokens: 'rotate',
    extraFields: {},
    tokenDelayMs: 0,
    apiDelayMs: 0,
    apiAlways401: false,
    script: (...answers) => {
      queue.push(...answers);
    },
    holdTokens() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      releaseGate = () => {
        gate = undefined;
        release();
      };
      return releaseGate;
    },
    acceptRefreshToken: (token) => {
      refreshTokens.add(token);
    },
    acceptCode: (code) => {
      codes.add(code);
    },
    revoke: (accessToken) => {
      valid.delete(accessToken);
    },
    tokenRequestsReached: (n) =>
      tokenRequests.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.push({ n, resolve });
          }),
    async close() {
      if (closed) return;
      closed = true;
      open.delete(server);
      releaseGate?.();
      for (const timer of pendingTimers) clearTimeout(timer);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  open.add(server);
  return server;
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
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function closedPortUrl(path = '/token'): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
