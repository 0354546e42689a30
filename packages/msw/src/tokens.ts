/**
 * Issued tokens: opaque or JWT access tokens (RFC 9068), refresh tokens, their families,
 * revocation and verification.
 *
 * @module
 */
import type { Clock } from './clock.ts';
import { randomToken } from './internal/base64url.ts';
import { newOpaqueValue } from './internal/opaque-values.ts';
import { generateSigningKey, type JsonWebKeySet, type SigningKey, signJwt } from './jwks.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * The claims of an access token the mock issued, as `protect()` hands them to a resolver and as
 * a JWT access token carries them.
 *
 * @example
 * ```ts
 * http.get('https://api.test/me', oauth.protect(({ claims }) =>
 *   HttpResponse.json({ client: claims.client_id, scope: claims.scope })));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export interface AccessTokenClaims {
  readonly iss: string;
  /** The resource owner: the client itself for `client_credentials`, else `authorize()`'s `subject`. */
  readonly sub: string;
  readonly client_id: string;
  /** Present when the `audience` option is set. */
  readonly aud?: string;
  /** Granted scope, space-separated; absent when none was granted. */
  readonly scope?: string;
  /** Issued at, epoch seconds (mock clock). */
  readonly iat: number;
  /** Expiry, epoch seconds (mock clock). */
  readonly exp: number;
  readonly jti: string;
}

/** What a token was issued for; every token of one authorization shares its `family`. */
export interface Grant {
  readonly clientId: string;
  readonly subject: string;
  /** Granted scope-tokens. */
  readonly scope: readonly string[];
  readonly family: string;
}

/** A refresh token's server-side record. */
export interface RefreshTokenRecord {
  readonly grant: Grant;
  readonly expiresAt: number | undefined;
  /** Replaced by a newer refresh token (rotation); presenting it again is reuse. */
  rotated: boolean;
  revoked: boolean;
}

interface AccessTokenRecord {
  readonly claims: AccessTokenClaims;
  readonly family: string;
  readonly expiresAt: number;
  revoked: boolean;
}

/** Why `verify` refused a token (becomes the `error_description`). */
export type TokenRejection = 'unknown' | 'expired' | 'revoked';

/** Issues, finds and revokes the mock's tokens. */
export class TokenRegistry {
  readonly #options: ResolvedOptions;
  readonly #clock: Clock;
  readonly #access = new Map<string, AccessTokenRecord>();
  readonly #refresh = new Map<string, RefreshTokenRecord>();
  #key: Promise<SigningKey> | undefined;

  constructor(options: ResolvedOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
  }

  /** The signing key, made on first use (RSA key generation takes a moment). */
  signingKey(): Promise<SigningKey> {
    this.#key ??= generateSigningKey(this.#options.signingAlgorithm);
    return this.#key;
  }

  /** The public JWK Set. */
  async jwks(): Promise<JsonWebKeySet> {
    return { keys: [(await this.signingKey()).publicJwk] };
  }

  /** Issues an access token for `grant`: an opaque string or a signed JWT. */
  async issueAccessToken(grant: Grant): Promise<string> {
    const now = this.#clock.now();
    const expiresAt = now + this.#options.accessTokenTtl * 1000;
    const { audience } = this.#options;
    const claims: AccessTokenClaims = {
      iss: this.#options.issuer,
      sub: grant.subject,
      client_id: grant.clientId,
      ...(audience === undefined ? {} : { aud: audience }),
      ...(grant.scope.length === 0 ? {} : { scope: grant.scope.join(' ') }),
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
      jti: randomToken(16),
    };
    const value =
      this.#options.accessTokenFormat === 'jwt'
        ? await signJwt(await this.signingKey(), 'at+jwt', claims)
        : newOpaqueValue(this.#options, 'access_token', (name) => this.#access.has(name));
    this.#access.set(value, { claims, family: grant.family, expiresAt, revoked: false });
    return value;
  }

  /** Issues a refresh token for `grant`. */
  issueRefreshToken(grant: Grant): string {
    const ttl = this.#options.refreshTokenTtl;
    const expiresAt = ttl === undefined ? undefined : this.#clock.now() + ttl * 1000;
    const value = newOpaqueValue(this.#options, 'refresh_token', (name) => this.#refresh.has(name));
    this.#refresh.set(value, { grant, expiresAt, rotated: false, revoked: false });
    return value;
  }

  /** The record of a refresh token the mock issued. */
  findRefreshToken(value: string): RefreshTokenRecord | undefined {
    return this.#refresh.get(value);
  }

  /** Whether a refresh token's lifetime has passed on the mock clock. */
  isExpired(record: { readonly expiresAt: number | undefined }): boolean {
    return record.expiresAt !== undefined && this.#clock.now() >= record.expiresAt;
  }

  /** The claims of a live access token, or why it is refused. */
  verifyAccessToken(value: string): AccessTokenClaims | TokenRejection {
    const record = this.#access.get(value);
    if (record === undefined) return 'unknown';
    if (record.revoked) return 'revoked';
    if (this.isExpired(record)) return 'expired';
    return record.claims;
  }

  /** Revokes one access or refresh token; `false` when the mock never issued it. */
  revoke(value: string): boolean {
    const record = this.#access.get(value) ?? this.#refresh.get(value);
    if (record === undefined) return false;
    record.revoked = true;
    return true;
  }

  /** Revokes every access token issued so far, and refresh tokens too when asked. */
  revokeAll(refreshTokens: boolean): void {
    for (const record of this.#access.values()) record.revoked = true;
    if (refreshTokens) for (const record of this.#refresh.values()) record.revoked = true;
  }

  /** Revokes every token of one authorization (refresh-token reuse, authorization-code replay). */
  revokeFamily(family: string): void {
    for (const record of this.#access.values()) if (record.family === family) record.revoked = true;
    for (const record of this.#refresh.values())
      if (record.grant.family === family) record.revoked = true;
  }

  /** Forgets every token (the signing key stays). */
  clear(): void {
    this.#access.clear();
    this.#refresh.clear();
  }
}
