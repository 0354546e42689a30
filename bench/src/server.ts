import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The client the bench server knows. The secret is a bench fixture, never a real credential. */
export const benchClient = { id: 'bench-client', secret: 'bench-secret' } as const;

/** A token the API always accepts: what the bare clients send as a static header. */
export const staticToken = 'static-floor-token';

/** The request header carrying the `performance.now()` at which the caller started a request. */
export const startHeader = 'x-bench-start';

/** What the server saw, counted since it started. */
export interface ServerStats {
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Requests to the API, first attempts and re-sends alike. */
  apiCalls: number;
  /** API requests answered 401. */
  unauthorized: number;
  /**
   * API requests answered 200 with a token minted after the request began (its
   * {@link startHeader}): the request could only have been served by waiting for the token
   * endpoint.
   */
  waited: number;
}

/** A client-credentials token endpoint and a protected API on one loopback port. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The token endpoint, `<url>/oauth/token`. */
  readonly tokenUrl: string;
  readonly stats: ServerStats;
  /** Lifetime of the tokens issued from now on, in seconds. */
  lifetimeSeconds: number;
  /** Forgets every issued token (not {@link staticToken}): their next API call gets a 401. */
  revokeAll(): void;
  /** A copy of the counters, to subtract later. */
  snapshot(): ServerStats;
  close(): Promise<void>;
}

/**
 * Starts the bench's own token server and API on 127.0.0.1. The token endpoint answers after
 * `tokenDelayMs` (a real one takes tens of milliseconds); the API answers at once, 200 for a
 * live token and 401 otherwise; under `/api/rejected/` it answers 401 to every token.
 *
 * @example
 * ```ts
 * const server = await startBenchServer({ tokenDelayMs: 50 });
 * await fetch(`${server.url}/api/items`, { headers: { authorization: `Bearer ${staticToken}` } });
 * await server.close();
 * ```
 */
export async function startBenchServer(options: { tokenDelayMs: number }): Promise<BenchServer> {
  /** Issued tokens: when they expire (epoch ms) and when they were minted (performance.now()). */
  const issued = new Map<string, { expiresAt: number; mintedAt: number }>();
  const stats: ServerStats = { tokenRequests: 0, apiCalls: 0, unauthorized: 0, waited: 0 };
  const state = { lifetimeSeconds: 3600, serial: 0 };

  const server: Server = createServer((req, res) => {
    const json = (status: number, value: unknown): void => {
      const text = JSON.stringify(value);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      res.end(text);
    };
    if (req.url === '/oauth/token' && req.method === 'POST') {
      stats.tokenRequests++;
      void readBody(req).then(async (body) => {
        await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
        if (!validClient(req, new URLSearchParams(body)))
          return json(401, { error: 'invalid_client' });
        const token = `bench-token-${++state.serial}`;
        issued.set(token, {
          expiresAt: Date.now() + state.lifetimeSeconds * 1000,
          mintedAt: performance.now(),
        });
        json(200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: state.lifetimeSeconds,
        });
      });
      return;
    }
    if (req.url?.startsWith('/api/')) {
      stats.apiCalls++;
      req.resume();
      // An endpoint that rejects every token, live or not (scenario 6).
      if (req.url.startsWith('/api/rejected/')) {
        stats.unauthorized++;
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end();
        return;
      }
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const grant =
        token === staticToken
          ? { expiresAt: Number.POSITIVE_INFINITY, mintedAt: Number.NEGATIVE_INFINITY }
          : token === undefined
            ? undefined
            : issued.get(token);
      if (grant === undefined || grant.expiresAt <= Date.now()) {
        stats.unauthorized++;
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end();
        return;
      }
      const started = Number(req.headers[startHeader]);
      if (Number.isFinite(started) && grant.mintedAt > started) stats.waited++;
      return json(200, { ok: true });
    }
    req.resume();
    json(404, { error: 'not_found' });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    stats,
    get lifetimeSeconds() {
      return state.lifetimeSeconds;
    },
    set lifetimeSeconds(value: number) {
      state.lifetimeSeconds = value;
    },
    revokeAll: () => issued.clear(),
    snapshot: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Accepts client_secret_post and client_secret_basic, as real servers do. */
function validClient(req: IncomingMessage, form: URLSearchParams): boolean {
  if (form.get('grant_type') !== 'client_credentials') return false;
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic !== undefined) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64')
      .toString('utf8')
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    return id === benchClient.id && secret === benchClient.secret;
  }
  return (
    form.get('client_id') === benchClient.id && form.get('client_secret') === benchClient.secret
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
