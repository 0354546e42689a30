/**
 * A real loopback server for the ky-auth tests: an OAuth token endpoint (client credentials,
 * client_secret_post) and a bearer-protected API on `node:http`, bound to 127.0.0.1, port 0.
 *
 * - `POST /token` issues `tok-1`, `tok-2`, … (`token_type: "bearer"`, one hour) unless a scripted
 *   answer is queued; `gate` holds its answers until resolved.
 * - `/public` answers 200 to anyone; `/always-401` (and every path below it) answers 401; `/hang` never answers;
 *   `/flaky` answers 503 once, then 200; `/redirect?to=…&status=…` redirects.
 * - Every other path answers 200 with an echo when the bearer token is one it issued and did not
 *   revoke, else 401.
 * - `script(path, ...statuses)` makes the next requests to `path` get these statuses, in order,
 *   whatever token they carry (e.g. 401, 503, 401 …); after them, the path answers as usual.
 * - `close()` closes every connection. Not part of the build (see tsconfig.build.json).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export const clientId = 'ky-client';
export const clientSecret = 'ky-secret-5d1c';

/** One API request (not a token request) as the server saw it. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly tenant: string | undefined;
  readonly contentType: string | undefined;
  /** Every header, as Node decodes them (latin1: one character per byte). */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The same server under another host name (another origin), e.g. `localhost`. */
  originAs(hostname: string): string;
  /** API requests, in arrival order. */
  readonly seen: Seen[];
  /** How many token requests arrived. */
  tokenRequests(): number;
  /** Revokes every token issued so far: they get 401 from now on. */
  revokeAll(): void;
  /** The next token request gets this answer instead of a token. */
  failNextToken(status: number, body: unknown): void;
  /** The next requests to `path` get these statuses, in order, whatever token they carry. */
  script(path: string, ...statuses: number[]): void;
  /** While set, token answers wait for this promise. */
  gate: Promise<void> | undefined;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const valid = new Set<string>();
  const seen: Seen[] = [];
  const failures: { status: number; body: unknown }[] = [];
  let issued = 0;
  let tokenRequests = 0;
  let flaky = 0;
  const scripts = new Map<string, number[]>();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/token') return token(body, res);
    seen.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      authorization: req.headers.authorization,
      tenant: header(req, 'x-tenant-id'),
      contentType: req.headers['content-type'],
      headers: req.headers,
      body,
    });
    const scripted = scripts.get(url.pathname)?.shift();
    if (scripted !== undefined) return json(res, scripted, { status: scripted });
    if (url.pathname.startsWith('/always-401/')) return json(res, 401, { error: 'invalid_token' });
    switch (url.pathname) {
      case '/hang':
        return;
      case '/public':
        return json(res, 200, { ok: true });
      case '/always-401':
        return json(res, 401, { error: 'invalid_token' });
      case '/flaky':
        if (flaky++ === 0) return json(res, 503, { error: 'busy' });
        break;
      case '/redirect':
        res.writeHead(Number(url.searchParams.get('status') ?? 302), {
          location: url.searchParams.get('to') ?? '/',
        });
        return res.end();
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !valid.has(bearer))
      return json(res, 401, { error: 'invalid_token' });
    return json(res, 200, { path: url.pathname, body });
  });

  async function token(body: string, res: ServerResponse): Promise<void> {
    tokenRequests++;
    const params = new URLSearchParams(body);
    await instance.gate;
    const failure = failures.shift();
    if (failure) return json(res, failure.status, failure.body);
    if (
      params.get('grant_type') !== 'client_credentials' ||
      params.get('client_id') !== clientId ||
      params.get('client_secret') !== clientSecret
    ) {
      return json(res, 401, { error: 'invalid_client' });
    }
    const accessToken = `tok-${++issued}`;
    valid.add(accessToken);
    return json(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600 });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const instance: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    originAs: (hostname) => `http://${hostname}:${port}`,
    seen,
    tokenRequests: () => tokenRequests,
    revokeAll: () => valid.clear(),
    failNextToken: (status, body) => {
      failures.push({ status, body });
    },
    script: (path, ...statuses) => {
      scripts.set(path, [...(scripts.get(path) ?? []), ...statuses]);
    },
    gate: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return instance;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
