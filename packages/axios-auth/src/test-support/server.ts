import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Route = (request: Recorded, response: ServerResponse) => void | Promise<void>;

/** What the token endpoint answers; `undefined` from `tokenReply` issues the next token. */
export interface TokenReply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/**
 * A real loopback HTTP server: `POST /token` is a client-credentials token endpoint issuing
 * `tok-1`, `tok-2`, …; every other path is an API that answers 200 to a currently valid
 * `Authorization: Bearer tok-N` and 401 otherwise, unless a route overrides it.
 */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Token requests received. */
  readonly tokenRequests: Recorded[];
  /** API requests received (everything but `/token`). */
  readonly calls: Recorded[];
  /** Access tokens the API currently accepts. */
  readonly valid: Set<string>;
  /** While true, every API path without a route answers 401, whatever the token. */
  always401: boolean;
  /** Called on each token request before answering; may wait, or replace the answer. */
  tokenReply:
    | ((count: number) => Promise<TokenReply | undefined> | TokenReply | undefined)
    | undefined;
  route(path: string, route: Route): void;
  callsTo(path: string): Recorded[];
  /** Whether the request carries a currently valid token. */
  authorized(request: Recorded): boolean;
  close(): Promise<void>;
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const tokenRequests: Recorded[] = [];
  const calls: Recorded[] = [];
  const valid = new Set<string>();

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: Recorded = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const pathname = new URL(request.path, 'http://x').pathname;
    if (pathname === '/token') {
      tokenRequests.push(request);
      const reply = await server.tokenReply?.(tokenRequests.length);
      if (reply !== undefined) {
        response.writeHead(reply.status, {
          'content-type': reply.contentType ?? 'application/json',
        });
        response.end(reply.body);
        return;
      }
      const accessToken = `tok-${tokenRequests.length}`;
      valid.add(accessToken);
      json(response, 200, { access_token: accessToken, token_type: 'BEARER', expires_in: 3600 });
      return;
    }
    calls.push(request);
    const route = routes.get(pathname);
    if (route) return route(request, response);
    if (!server.always401 && server.authorized(request))
      json(response, 200, { path: request.path });
    else json(response, 401, { error: 'invalid_token' });
  };

  const http = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    tokenRequests,
    calls,
    valid,
    always401: false,
    tokenReply: undefined,
    route: (path, route) => void routes.set(path, route),
    callsTo: (path) => calls.filter((call) => new URL(call.path, 'http://x').pathname === path),
    authorized: (request) =>
      [...valid].some((token) => request.headers.authorization === `Bearer ${token}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      }),
  };
  return server;
}

/** A promise with its resolve function, for handing control between a test and the server. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
