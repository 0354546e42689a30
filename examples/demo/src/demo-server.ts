import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the embedded server saw, for the report. */
export interface ServerStats {
  tokenRequests: number;
  apiCalls: number;
  unauthorized: number;
}

/** An embedded OAuth 2.0 client-credentials endpoint and a protected API, on loopback only. */
export interface DemoServer {
  readonly url: string;
  readonly stats: ServerStats;
  /** Lifetime of the tokens it issues, in seconds. */
  tokenLifetimeSeconds: number;
  /** Forgets every issued token: the next API call with an old token gets 401. */
  revokeAll(): void;
  /**
   * A refresh token the server accepts once, as if from an earlier authorization: each refresh
   * retires the one it was sent and answers with a new one (rotation).
   */
  issueRefreshToken(): string;
  close(): Promise<void>;
}

export const demoClient = { id: 'demo-client', secret: 'demo-secret-do-not-print' } as const;

export async function startDemoServer(
  options: { tokenDelayMs?: number } = {},
): Promise<DemoServer> {
  const issued = new Map<string, number>();
  const stats: ServerStats = { tokenRequests: 0, apiCalls: 0, unauthorized: 0 };
  let serial = 0;
  const refreshTokens = new Set<string>();
  const newRefreshToken = (): string => {
    const token = `demo-refresh-${++serial}`;
    refreshTokens.add(token);
    return token;
  };
  const state = { tokenLifetimeSeconds: 3600 };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/oauth/token') {
      stats.tokenRequests++;
      const form = new URLSearchParams(body);
      await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs ?? 25));
      const grant = form.get('grant_type');
      if (grant !== 'client_credentials' && grant !== 'refresh_token')
        return json(400, { error: 'unsupported_grant_type' });
      if (
        form.get('client_id') !== demoClient.id ||
        form.get('client_secret') !== demoClient.secret
      ) {
        return json(401, {
          error: 'invalid_client',
          error_description: 'Invalid client credentials',
        });
      }
      const sent = form.get('refresh_token') ?? '';
      if (grant === 'refresh_token' && !refreshTokens.delete(sent))
        return json(400, { error: 'invalid_grant' });
      const token = `demo-token-${++serial}`;
      issued.set(token, Date.now() + state.tokenLifetimeSeconds * 1000);
      return json(200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: state.tokenLifetimeSeconds,
        scope: 'demo',
        ...(grant === 'refresh_token' && { refresh_token: newRefreshToken() }),
      });
    }
    if (req.url?.startsWith('/api/')) {
      stats.apiCalls++;
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const expiry = token === undefined ? undefined : issued.get(token);
      if (expiry === undefined || expiry <= Date.now()) {
        stats.unauthorized++;
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        return res.end();
      }
      return json(200, { ok: true, path: req.url, echo: body });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(value: number) {
      state.tokenLifetimeSeconds = value;
    },
    revokeAll: () => issued.clear(),
    issueRefreshToken: newRefreshToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
