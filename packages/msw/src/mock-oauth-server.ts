/**
 * `mockOAuthServer()`: a strict OAuth 2.0 authorization server as msw handlers.
 *
 * @module
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { AuthorizationCodes, type AuthorizeParams } from './authorize.ts';
import { createClock } from './clock.ts';
import { FailureQueue, type InjectedFailure } from './failures.ts';
import { jsonResponse } from './internal/responses.ts';
import { endpointsOf, type MockOAuthEndpoints, metadataDocument } from './metadata.ts';
import { type MockOAuthServerOptions, resolveOptions } from './options.ts';
import { createProtect, type Protect } from './protect.ts';
import { TokenEndpoint, type TokenRequestRecord } from './token-endpoint.ts';
import { TokenRegistry } from './tokens.ts';

/**
 * A mock authorization server: msw handlers plus the controls a test needs.
 *
 * @example
 * ```ts
 * const server = setupServer(...oauth.handlers,
 *   http.get('https://api.test/me', oauth.protect(() => HttpResponse.json({ ok: true }))));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749
 */
export interface MockOAuthServer {
  /** The issuer, without a trailing slash. */
  readonly issuer: string;
  /** Endpoint URLs: `token`, `authorization`, `jwks`, `metadata`. */
  readonly endpoints: MockOAuthEndpoints;
  /**
   * The msw handlers: `POST /token` (other methods: 405), `GET /authorize`, `GET /jwks` and
   * `GET /.well-known/oauth-authorization-server`, all below the issuer.
   */
  readonly handlers: readonly HttpHandler[];
  /** Every token request seen so far, failed and injected ones included, oldest first. */
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** Wraps an msw resolver with Bearer token verification (RFC 6750). */
  readonly protect: Protect;
  /**
   * Runs an auto-approved authorization request and returns the code (RFC 6749 §4.1.2). Throws a
   * `TypeError` naming the parameter at fault (unknown client, unregistered redirect URI, missing
   * PKCE challenge, scope not allowed).
   */
  authorize(params: AuthorizeParams): Promise<string>;
  /**
   * Revokes every access token issued so far: protected handlers answer 401 `invalid_token`.
   * Refresh tokens stay valid unless `{ refreshTokens: true }`.
   */
  revokeAll(options?: { readonly refreshTokens?: boolean }): void;
  /**
   * Revokes one access or refresh token, as a revocation request would (RFC 7009): protected
   * handlers answer 401 `invalid_token` to that access token, the token endpoint `invalid_grant`
   * to that refresh token. Other tokens stay valid. `false` when the mock never issued it.
   */
  revoke(token: string): boolean;
  /** Makes the next `count` token requests answer `failure` (recorded in `tokenRequests`). */
  failNext(count: number, failure: InjectedFailure): void;
  /** Moves the mock clock forward by `ms` milliseconds: tokens and codes expire by it. */
  advance(ms: number): void;
  /** The mock clock, epoch milliseconds (pass it as tokenwise's `now` to share the clock). */
  now(): number;
  /** Forgets tokens, codes, recorded requests and queued failures (keys, clients and clock stay). */
  reset(): void;
}

/**
 * Makes a mock OAuth 2.0 authorization server for msw. It behaves like a strict real server:
 * RFC 6749 client authentication, grants, success and error bodies; PKCE (RFC 7636); refresh
 * rotation with reuse detection; opaque or JWT (RFC 9068) access tokens with a JWK Set and
 * RFC 8414 metadata. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * ```ts
 * import { mockOAuthServer } from '@tokenwise/msw';
 * import { HttpResponse, http } from 'msw';
 * import { setupServer } from 'msw/node';
 *
 * const oauth = mockOAuthServer({ issuer: 'https://auth.test', clients: { app: 'secret' },
 *   accessTokenTtl: 3600, rotateRefreshTokens: true });
 * const server = setupServer(...oauth.handlers,
 *   http.get('https://api.test/me', oauth.protect(() => HttpResponse.json({ ok: true }))));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function mockOAuthServer(options: MockOAuthServerOptions): MockOAuthServer {
  const resolved = resolveOptions(options);
  const clock = createClock(options.now);
  const tokens = new TokenRegistry(resolved, clock);
  const codes = new AuthorizationCodes(resolved, clock);
  const failures = new FailureQueue();
  const endpoint = new TokenEndpoint({ options: resolved, tokens, codes }, clock, failures);
  const endpoints = endpointsOf(resolved.issuer);
  const handlers = [
    http.post(endpoints.token, ({ request }) => endpoint.handle(request)),
    http.all(endpoints.token, () =>
      jsonResponse(
        clock,
        405,
        { error: 'invalid_request', error_description: 'Use POST' },
        { Allow: 'POST' },
      ),
    ),
    http.get(endpoints.authorization, ({ request }) => codes.handle(request)),
    http.get(endpoints.jwks, async () =>
      HttpResponse.json(await tokens.jwks(), { headers: { 'Cache-Control': 'max-age=300' } }),
    ),
    http.get(endpoints.metadata, () => HttpResponse.json(metadataDocument(resolved))),
  ];
  return {
    issuer: resolved.issuer,
    endpoints,
    handlers,
    get tokenRequests() {
      return endpoint.requests;
    },
    protect: createProtect(tokens, clock, resolved.issuer),
    authorize: (params) => codes.authorize(params),
    revokeAll: ({ refreshTokens = false } = {}) => tokens.revokeAll(refreshTokens),
    revoke: (token) => tokens.revoke(token),
    failNext: (count, failure) => failures.add(count, failure),
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    reset() {
      tokens.clear();
      codes.clear();
      endpoint.clear();
      failures.clear();
    },
  };
}
