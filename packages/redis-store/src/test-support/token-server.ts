/**
 * A loopback OAuth token endpoint for the fleet tests: it counts every token request, issues
 * `access-<n>` tokens, and treats refresh tokens as single-use (rotating), so two processes that
 * refresh with the same refresh token get one token and one `invalid_grant`. `beforeAnswer` lets
 * a test hold or drop a request.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One token request as the server saw it. */
export interface TokenRequest {
  readonly params: Record<string, string>;
  /** The `x-fleet-member` header: which child process sent it. */
  readonly member: string | undefined;
}

export interface TokenServer {
  /** `http://127.0.0.1:<port>/token` */
  readonly tokenUrl: string;
  readonly requests: TokenRequest[];
  /** Refresh tokens presented that were not valid (already used or never issued). */
  readonly rejectedRefreshTokens: string[];
  /** `expires_in` of the tokens issued from now on, in seconds. @default 3600 */
  expiresIn: number;
  /** Awaited before a request is answered; `'drop'` destroys the connection instead. */
  beforeAnswer: ((request: TokenRequest) => Promise<unknown>) | undefined;
  /** Makes a refresh token acceptable (once). */
  acceptRefreshToken(token: string): void;
  /** Resolves with the `n`th request when it arrives. */
  requestArrived(n: number): Promise<TokenRequest>;
  close(): Promise<void>;
}

export async function startTokenServer(): Promise<TokenServer> {
  const requests: TokenRequest[] = [];
  const rejectedRefreshTokens: string[] = [];
  const refreshTokens = new Set<string>();
  const waiters: { n: number; resolve: (request: TokenRequest) => void }[] = [];
  let counter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      const member = req.headers['x-fleet-member'];
      const request: TokenRequest = {
        params,
        member: typeof member === 'string' ? member : undefined,
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => w.n === requests.length)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
      if ((await server.beforeAnswer?.(request)) === 'drop') {
        res.destroy();
        return;
      }
      let refreshToken: string | undefined;
      if (params.grant_type === 'refresh_token') {
        const presented = params.refresh_token ?? '';
        if (!refreshTokens.delete(presented)) {
          rejectedRefreshTokens.push(presented);
          answer(res, 400, { error: 'invalid_grant', error_description: 'Refresh token used' });
          return;
        }
        refreshToken = `refresh-${++counter}`;
        refreshTokens.add(refreshToken);
      } else if (params.grant_type !== 'client_credentials') {
        answer(res, 400, { error: 'unsupported_grant_type' });
        return;
      }
      answer(res, 200, {
        access_token: `access-${++counter}`,
        token_type: 'Bearer',
        expires_in: server.expiresIn,
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const server: TokenServer = {
    tokenUrl: `http://127.0.0.1:${port}/token`,
    requests,
    rejectedRefreshTokens,
    expiresIn: 3600,
    beforeAnswer: undefined,
    acceptRefreshToken: (token) => {
      refreshTokens.add(token);
    },
    requestArrived: (n) => {
      const arrived = requests[n - 1];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
