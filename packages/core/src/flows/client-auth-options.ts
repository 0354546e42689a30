/**
 * The options and shapes of client authentication: which method, the options of JWT client
 * authentication and Basic credentials, and what a method adds to the flow's requests.
 *
 * @module
 */
import type { BasicEncoding, BodyParams } from '../internal/build-request.ts';
import type { RequestStep } from '../request-step.ts';
import type { AsymmetricSigningAlgorithm, PrivateKeyInput } from './private-key-option.ts';

/**
 * How the client authenticates at the token endpoint:
 * - `client_secret_post` (the default with a `clientSecret`): `client_id` and `client_secret` in
 *   the body. Every seed vendor documents this, and RFC 6749 §2.3.1 allows it.
 * - `client_secret_basic`: HTTP Basic with the id and secret (see `basicEncoding`).
 * - `client_secret_jwt`: an HS256 assertion signed with the client secret (RFC 7523 §2.2).
 * - `private_key_jwt` (the default with a `privateKey` or a `clientAssertion`): an assertion
 *   signed with `privateKey`, or the one `clientAssertion` returns (RFC 7523 §2.2, OIDC Core §9).
 * - `none`: a public client; only `client_id` in the body.
 * - `auto`: Basic first; after a 400 or 401 `invalid_client`, the body; the method that worked is
 *   remembered per token URL and client id for the life of the process.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 * @example
 * ```ts
 * const clientAuth: ClientAuth = 'private_key_jwt';
 * ```
 */
export type ClientAuth =
  | 'client_secret_post'
  | 'client_secret_basic'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none'
  | 'auto';

/**
 * Options of client authentication without a secret in the request (`private_key_jwt`,
 * `client_secret_jwt`, `clientAssertion`) and of Basic credentials.
 *
 * @example
 * ```ts
 * const jwtAuth: ClientAssertionOptions = {
 *   privateKey: process.env.CLIENT_KEY_PEM!, keyId: 'key-2026-01', signingAlgorithm: 'PS256',
 * };
 * ```
 */
export interface ClientAssertionOptions {
  /** The private key of `private_key_jwt`: a `CryptoKey`, a private JWK or a PKCS#8 PEM string. */
  readonly privateKey?: PrivateKeyInput | undefined;
  /** The assertion header's `kid`; absent: no `kid`. */
  readonly keyId?: string | undefined;
  /** @default 'RS256' for RSA keys, 'ES256' for P-256, 'EdDSA' for Ed25519 */
  readonly signingAlgorithm?: AsymmetricSigningAlgorithm | undefined;
  /** The assertion's `aud`. @default the token URL */
  readonly assertionAudience?: string | undefined;
  /** Seconds from `iat` to `exp` of each assertion, at most 300. @default 60 */
  readonly assertionLifetimeSeconds?: number | undefined;
  /**
   * A ready assertion instead of a key (workload identity: a Kubernetes projected service-account
   * token, a CI job's OIDC token), called again for every token request. Implies
   * `clientAuth: 'private_key_jwt'`.
   */
  readonly clientAssertion?: (() => string | Promise<string>) | undefined;
  /**
   * How Basic credentials (`client_secret_basic`, `auto`) spell the id and secret: `form`
   * form-encodes them first, as RFC 6749 §2.3.1 says; `raw` sends them as they are, for servers
   * that do not decode them (with `form`, a secret with `+`, `%` or `:` then fails there).
   * @default 'form'
   */
  readonly basicEncoding?: BasicEncoding | undefined;
}

/** Everything client authentication reads from a flow's options. */
export interface ClientAuthInput extends ClientAssertionOptions {
  readonly clientAuth?: ClientAuth | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
}

/** What a client authentication method adds to the flow's requests. */
export interface ClientAuthentication {
  /** Body parameters of the request template (`client_id`, `client_secret`). */
  readonly params: BodyParams;
  /** Headers of the request template (Basic credentials). */
  readonly headers: Readonly<Record<string, string>>;
  /** Per-attempt steps (a fresh assertion, `'auto'`). */
  readonly steps: readonly RequestStep[];
  /** What distinguishes this authentication in the cache key beyond the template (never sent). */
  readonly keyMaterial: readonly string[];
}
