/**
 * Options of {@link mockOAuthServer}, and their validation (a `TypeError` naming the option).
 *
 * @module
 */
import { scopeTokens } from './internal/scope.ts';
import type { SigningAlgorithm } from './jwks.ts';

/** A grant type the mock implements. */
export type GrantType = 'client_credentials' | 'authorization_code' | 'refresh_token';

/**
 * What the `opaqueToken` option names: an opaque access token, a refresh token or an
 * authorization code (the parameter each travels in).
 *
 * @example
 * ```ts
 * const names: Record<OpaqueTokenKind, string> = { access_token: 'at', refresh_token: 'rt', code: 'c' };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.4 (access tokens are opaque to the client)
 */
export type OpaqueTokenKind = 'access_token' | 'refresh_token' | 'code';

/**
 * A registered client. A string is a confidential client's secret; `null` (or an object without
 * `secret`) is a public client, which authenticates with `none` (only `client_id` in the body).
 *
 * @example
 * ```ts
 * const clients: Record<string, ClientConfig> = {
 *   app: 'secret',
 *   spa: null,
 *   reports: { secret: 's3cret', scope: ['read', 'write'], grantTypes: ['client_credentials'] },
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1 (client types)
 */
export type ClientConfig =
  | string
  | null
  | {
      /** The client secret; absent for a public client. */
      readonly secret?: string | undefined;
      /** Scopes the client may ask for (space-separated or a list). @default any scope */
      readonly scope?: string | readonly string[] | undefined;
      /** Grants the client may use; others answer `unauthorized_client`. @default all three */
      readonly grantTypes?: readonly GrantType[] | undefined;
      /** Registered redirect URIs; `authorize()` refuses others. @default any absolute URI */
      readonly redirectUris?: readonly string[] | undefined;
    };

/**
 * Options of {@link mockOAuthServer}.
 *
 * @example
 * ```ts
 * const options: MockOAuthServerOptions = {
 *   issuer: 'https://auth.test',
 *   clients: { app: 'secret' },
 *   accessTokenTtl: 3600,
 *   rotateRefreshTokens: true,
 *   accessTokenFormat: 'jwt',
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 (issuer)
 */
export interface MockOAuthServerOptions {
  /** The issuer URL (`https:` or `http:`, no query or fragment); endpoints hang below it. */
  readonly issuer: string;
  /** Registered clients by `client_id`. */
  readonly clients: Readonly<Record<string, ClientConfig>>;
  /** Access-token lifetime in seconds (`expires_in`). @default 3600 */
  readonly accessTokenTtl?: number | undefined;
  /** Refresh-token lifetime in seconds. @default undefined (never expires) */
  readonly refreshTokenTtl?: number | undefined;
  /** Authorization-code lifetime in seconds. @default 600 */
  readonly authorizationCodeTtl?: number | undefined;
  /** Issue a new refresh token on each refresh; the old one becomes unusable. @default false */
  readonly rotateRefreshTokens?: boolean | undefined;
  /**
   * When a rotated-out refresh token is presented again (reuse), also revoke every token of its
   * family, as real servers do (RFC 9700 §4.14.2). @default true
   */
  readonly revokeFamilyOnReuse?: boolean | undefined;
  /** `opaque` random strings, or `jwt` signed access tokens (RFC 9068). @default 'opaque' */
  readonly accessTokenFormat?: 'opaque' | 'jwt' | undefined;
  /** JWS algorithm of JWT access tokens. @default 'ES256' */
  readonly signingAlgorithm?: SigningAlgorithm | undefined;
  /** `aud` claim of issued access tokens. @default undefined (no `aud`) */
  readonly audience?: string | undefined;
  /** Accept `application/json` token requests as well as form bodies. @default false */
  readonly acceptJsonBodies?: boolean | undefined;
  /** Require PKCE (S256) in `authorize()` and `GET /authorize`. @default true */
  readonly requirePkce?: boolean | undefined;
  /** The time source, epoch milliseconds; `advance(ms)` moves the mock ahead of it. @default Date.now */
  readonly now?: (() => number) | undefined;
  /**
   * Names the opaque values the mock issues, for predictable names in snapshots and log
   * assertions: called once per opaque access token (not for `accessTokenFormat: 'jwt'`), refresh
   * token and authorization code, with its kind. It must return a value not issued before; an
   * access token must be an RFC 6750 `b64token` (what a `Bearer` header can carry). A bad value
   * fails that token request (msw answers 500 with the `TypeError`).
   * @default random base64url values (`mock_at_…`, `mock_rt_…`, `mock_code_…`)
   *
   * @example
   * ```ts
   * let n = 0;
   * const oauth = mockOAuthServer({ issuer: 'https://auth.test', clients: { app: 'secret' },
   *   opaqueToken: (kind) => `${kind}-${++n}` }); // access_token-1, refresh_token-2, …
   * ```
   */
  readonly opaqueToken?: ((kind: OpaqueTokenKind) => string) | undefined;
}

/** A registered client after validation. */
export interface Client {
  readonly id: string;
  readonly secret: string | undefined;
  readonly scope: ReadonlySet<string> | undefined;
  readonly grantTypes: ReadonlySet<GrantType>;
  readonly redirectUris: readonly string[] | undefined;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly issuer: string;
  readonly clients: ReadonlyMap<string, Client>;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number | undefined;
  readonly authorizationCodeTtl: number;
  readonly rotateRefreshTokens: boolean;
  readonly revokeFamilyOnReuse: boolean;
  readonly accessTokenFormat: 'opaque' | 'jwt';
  readonly signingAlgorithm: SigningAlgorithm;
  readonly audience: string | undefined;
  readonly acceptJsonBodies: boolean;
  readonly requirePkce: boolean;
  readonly opaqueToken: ((kind: OpaqueTokenKind) => string) | undefined;
}

const allGrants: readonly GrantType[] = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
];

function fail(option: string, expected: string): never {
  throw new TypeError(`mockOAuthServer: ${option} must be ${expected}`);
}

function optionalTtl(option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    fail(option, 'a positive number of seconds');
  return value;
}

function optionalBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, 'a boolean');
  return value;
}

function resolveClient(id: string, config: ClientConfig): Client {
  const option = `clients.${id}`;
  if (config === null || typeof config === 'string') {
    if (config === '') fail(option, 'a non-empty secret, null or an object');
    return {
      id,
      secret: config ?? undefined,
      scope: undefined,
      grantTypes: new Set(allGrants),
      redirectUris: undefined,
    };
  }
  if (typeof config !== 'object') fail(option, 'a secret string, null or an object');
  const { secret, scope, grantTypes = allGrants, redirectUris } = config;
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    fail(`${option}.secret`, 'a non-empty string');
  const scopes = scope === undefined ? undefined : scopeTokens(scope);
  if (scope !== undefined && scopes === undefined)
    fail(`${option}.scope`, 'scope-tokens (RFC 6749 §3.3)');
  if (!Array.isArray(grantTypes) || grantTypes.some((grant) => !allGrants.includes(grant)))
    fail(`${option}.grantTypes`, `a list of ${allGrants.join(', ')}`);
  if (
    redirectUris !== undefined &&
    (!Array.isArray(redirectUris) || !redirectUris.every((uri) => URL.canParse(uri)))
  )
    fail(`${option}.redirectUris`, 'a list of absolute URIs');
  return {
    id,
    secret,
    scope: scopes === undefined ? undefined : new Set(scopes),
    grantTypes: new Set(grantTypes),
    redirectUris,
  };
}

/** Validates `options` (a `TypeError` naming the first bad option) and fills in defaults. */
export function resolveOptions(options: MockOAuthServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'an object');
  const { issuer } = options;
  const url = typeof issuer === 'string' && URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (url === undefined || !['https:', 'http:'].includes(url.protocol) || url.search || url.hash)
    fail('issuer', 'an http(s) URL without query or fragment');
  if (typeof options.clients !== 'object' || options.clients === null)
    fail('clients', 'an object of client_id to secret');
  const clients = new Map(
    Object.entries(options.clients).map(([id, config]) => [id, resolveClient(id, config)]),
  );
  const format = options.accessTokenFormat ?? 'opaque';
  if (format !== 'opaque' && format !== 'jwt') fail('accessTokenFormat', "'opaque' or 'jwt'");
  const algorithm = options.signingAlgorithm ?? 'ES256';
  if (algorithm !== 'ES256' && algorithm !== 'RS256')
    fail('signingAlgorithm', "'ES256' or 'RS256'");
  if (options.audience !== undefined && typeof options.audience !== 'string')
    fail('audience', 'a string');
  if (options.opaqueToken !== undefined && typeof options.opaqueToken !== 'function')
    fail('opaqueToken', 'a function of the kind returning a string');
  return {
    issuer: issuer.replace(/\/+$/, ''),
    clients,
    accessTokenTtl: optionalTtl('accessTokenTtl', options.accessTokenTtl) ?? 3600,
    refreshTokenTtl: optionalTtl('refreshTokenTtl', options.refreshTokenTtl),
    authorizationCodeTtl: optionalTtl('authorizationCodeTtl', options.authorizationCodeTtl) ?? 600,
    rotateRefreshTokens: optionalBoolean('rotateRefreshTokens', options.rotateRefreshTokens, false),
    revokeFamilyOnReuse: optionalBoolean('revokeFamilyOnReuse', options.revokeFamilyOnReuse, true),
    accessTokenFormat: format,
    signingAlgorithm: algorithm,
    audience: options.audience,
    acceptJsonBodies: optionalBoolean('acceptJsonBodies', options.acceptJsonBodies, false),
    requirePkce: optionalBoolean('requirePkce', options.requirePkce, true),
    opaqueToken: options.opaqueToken,
  };
}
