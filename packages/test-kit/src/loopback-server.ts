/**
 * The one loopback token server of tokenwise's tests: `@tokenwise/msw`'s mock authorization
 * server (issuer: the server's origin; access tokens `tok-1`, `tok-2`, …, refresh tokens
 * `refresh-1`, …; JSON bodies accepted) served over `node:http` on 127.0.0.1, port 0. What is
 * about the socket sits in front of its `/token` ({@link TokenFront}); every other path is a
 * bearer-protected API checked by the mock's own `protect()` ({@link ApiRoutes}).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockOAuthServer, mockOAuthServer } from '@tokenwise/msw';
import { ApiRoutes, type RouteHandler } from './loopback/api-routes.ts';
import { MockHandlers } from './loopback/mock-handlers.ts';
import { type RecordedRequest, readRequest, writeResponse } from './loopback/node-bridge.ts';
import { forgetServer, rememberServer } from './loopback/open-servers.ts';
import { clientId, clientSecret, type LoopbackServerOptions } from './loopback/options.ts';
import { type AcceptCodeOptions, Seeds } from './loopback/seeds.ts';
import { mockAccessTokenTtl } from './loopback/token-answer.ts';
import { type ScriptedAnswer, TokenFront } from './loopback/token-front.ts';
import { TokenNames } from './loopback/token-names.ts';
import { Waits } from './loopback/waits.ts';

export { closedPortOrigin, closedPortUrl } from './loopback/closed-port.ts';
export type { RecordedRequest } from './loopback/node-bridge.ts';
export { closeAllServers } from './loopback/open-servers.ts';
export { clientId, clientSecret, type LoopbackServerOptions } from './loopback/options.ts';

/**
 * A running {@link startServer} server. Knobs are plain fields a test sets.
 *
 * @example
 * const server = await startServer();
 * server.tokenType = 'bearer';
 * server.script({ status: 503, body: { error: 'temporarily_unavailable' } });
 * // … the client under test calls server.url('/members') with tokens from server.tokenUrl
 * expect(server.tokenRequests).toHaveLength(2);
 * expect(server.apiCalls.at(-1)?.headers.authorization).toBe('Bearer tok-1');
 */
export class LoopbackServer {
  /** e.g. `http://127.0.0.1:41234`, or `http://localhost:41234`: also the mock's issuer. */
  readonly origin: string;
  /** `${origin}/token` */
  readonly tokenUrl: string;
  readonly port: number;
  /** The mock behind the token endpoint and the API's token check (`advance`, `authorize`…). */
  readonly oauth: MockOAuthServer;
  readonly refreshTokens: 'rotate' | 'omit';
  /** Access tokens answered through the socket, in order. */
  readonly issued: string[] = [];
  /** Refresh tokens presented and refused with `invalid_grant` (used, revoked, unknown). */
  readonly rejectedRefreshTokens: string[] = [];
  /** `token_type` of the answers. @default 'Bearer' */
  tokenType = 'Bearer';
  /** `expires_in` of the answers (s); `undefined` omits it. The API honours the mock's lifetime
   * (3600 s on the mock clock: `oauth.advance(ms)` expires tokens). @default 3600 */
  expiresIn: number | undefined = mockAccessTokenTtl;
  /** Fields added to every successful token answer. @default {} */
  extraFields: Record<string, unknown> = {};
  /** Delay of every token answer, in ms. @default 0 */
  tokenDelayMs = 0;
  /** Delay of every API answer, in ms. @default 0 */
  apiDelayMs = 0;
  /** Every API path answers 401 whatever the token, `/public…` included. @default false */
  apiAlways401 = false;
  /** Awaited before a token request is answered; resolving `'drop'` closes the connection. */
  beforeAnswer: ((request: RecordedRequest) => unknown) | undefined = undefined;
  readonly #http: Server;
  readonly #waits = new Waits();
  readonly #front: TokenFront;
  readonly #api: ApiRoutes;
  readonly #seeds: Seeds;
  readonly #mock: MockHandlers;
  #closed = false;

  /** Use {@link startServer}. */
  constructor(http: Server, options: LoopbackServerOptions) {
    const { hostname = '127.0.0.1', clients = { [clientId]: clientSecret } } = options;
    this.#http = http;
    this.port = (http.address() as AddressInfo).port;
    this.origin = `http://${hostname}:${this.port}`;
    this.tokenUrl = `${this.origin}/token`;
    this.refreshTokens = options.refreshTokens ?? 'rotate';
    const access_token = options.accessTokenPrefix ?? 'tok-';
    const names = new TokenNames({ access_token, refresh_token: 'refresh-', code: 'code-' });
    this.oauth = mockOAuthServer({
      issuer: this.origin,
      clients,
      rotateRefreshTokens: this.refreshTokens === 'rotate',
      acceptJsonBodies: true,
      requirePkce: false,
      opaqueToken: names.next,
      now: options.now,
    });
    this.#mock = new MockHandlers(this.oauth, names);
    this.#front = new TokenFront({
      mock: this.#mock,
      waits: this.#waits,
      knobs: this,
      record: this,
    });
    this.#api = new ApiRoutes(this.oauth, this.#waits, this);
    this.#seeds = new Seeds(this.oauth, names, clients);
    http.on('request', (incoming, res) => void this.#handle(incoming, res));
  }

  /** Token requests, in arrival order (answered or not). */
  get tokenRequests(): RecordedRequest[] {
    return this.#front.requests;
  }

  /** API requests (every path but the mock's), in arrival order. */
  get apiCalls(): RecordedRequest[] {
    return this.#api.calls;
  }

  /** `${origin}${path}` */
  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** This server under another host name (another origin), e.g. `localhost`. */
  originAs(hostname: string): string {
    return `http://${hostname}:${this.port}`;
  }

  /** The API requests to `path` (without query). */
  callsTo(path: string): RecordedRequest[] {
    return this.apiCalls.filter((call) => call.path === path);
  }

  /** Queues answers for the next token requests, one each, in order. */
  script(...answers: ScriptedAnswer[]): void {
    this.#front.script(answers);
  }

  /** The next token answers are these statuses and bodies instead of tokens ({@link script}). */
  failTokens(...answers: { readonly status: number; readonly body: unknown }[]): void {
    this.#front.script(answers);
  }

  /** Holds token answers until the returned function is called (or the server closes). */
  holdTokens(): () => void {
    return this.#front.hold();
  }

  /** Resolves with the `n`th token request once it arrived (answered or not). */
  tokenRequestsReached(n: number): Promise<RecordedRequest> {
    return this.#front.reached(n);
  }

  /** The next API answers are these statuses (before any token check). */
  failApi(...statuses: number[]): void {
    this.#api.failures.push(...statuses);
  }

  /** The next requests to `path` get these statuses, whatever token they carry (or none). */
  failPath(path: string, ...statuses: number[]): void {
    this.#api.pathFailures.add(path, statuses);
  }

  /** The next requests to `path` that pass the token check get these statuses (200–599). */
  failAuthorized(path: string, ...statuses: number[]): void {
    this.#api.authorizedFailures.add(path, statuses);
  }

  /** Answers the API path `path` with `handler` (before the built-in paths and the token check). */
  route(path: string, handler: RouteHandler): void {
    this.#api.route(path, handler);
  }

  /** Whether `request` carries an access token the mock issued, live and not revoked. */
  authorized(request: RecordedRequest): Promise<boolean> {
    return this.#api.authorized(request);
  }

  /** Makes `token` a refresh token of `client` the token endpoint accepts; requests wait for it. */
  acceptRefreshToken(token: string, client?: string): Promise<void> {
    return this.#seeds.refreshToken(token, client);
  }

  /** Makes `token` an access token of `client` the API accepts (another server's, say). */
  acceptAccessToken(token: string, client?: string): Promise<void> {
    return this.#seeds.accessToken(token, client);
  }

  /** Makes `code` an authorization code the token endpoint exchanges once. */
  acceptCode(code: string, options: AcceptCodeOptions): Promise<void> {
    return this.#seeds.code(code, options);
  }

  /** Revokes one access or refresh token; `false` when the mock never issued it. */
  revoke(token: string): boolean {
    return this.oauth.revoke(token);
  }

  /** Every access token issued so far is refused from now on (later ones are valid). */
  revokeAll(): void {
    this.oauth.revokeAll();
  }

  /** Closes every connection, ends every delay and hold; resolves once the port is free. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    forgetServer(this);
    this.#waits.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  async #handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const request = await readRequest(incoming, this.origin);
      if (request.path === '/token') return await this.#front.handle(request, res);
      if (!this.#mock.paths.has(request.path)) return await this.#api.handle(request, res);
      await writeResponse(res, await this.#mock.answer(request));
    } catch (error) {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }
}

/**
 * Starts a {@link LoopbackServer} on 127.0.0.1, port 0. A string is the `hostname` that names it
 * in `origin` (another origin for the same machine: `localhost`).
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
export async function startServer(
  options: string | LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server = new LoopbackServer(
    http,
    typeof options === 'string' ? { hostname: options } : options,
  );
  rememberServer(server);
  return server;
}
