/**
 * Client authentication at the token endpoint: which method, checked at creation, and what it
 * adds to each request: body parameters and headers in the request template, or a per-attempt
 * step (a fresh assertion, `'auto'`) whose code loads on first use.
 *
 * @module
 */
import type { BasicEncoding, BodyFormat, BodyParams } from '../internal/build-request.ts';
import { basicCredentials } from '../internal/build-request.ts';
import { integerInRange, oneOf, requireNonEmptyString } from '../internal/options.ts';
import type { RequestStep } from '../request-step.ts';
import { lazyStep } from '../request-step-lazy.ts';
import type { ClientAssertionSettings } from './client-assertion-step.ts';
import {
  type AsymmetricSigningAlgorithm,
  checkPrivateKey,
  type PrivateKeyInput,
} from './private-key-option.ts';

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

const methods: readonly ClientAuth[] = [
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
  'auto',
];

/**
 * Checks the client authentication options (TypeError naming the option) and returns what the
 * method adds to each request. `fallback` is the method when `clientAuth` is absent and neither a
 * key nor an assertion callback says `private_key_jwt`.
 *
 * @example
 * ```ts
 * const auth = clientAuthentication('clientCredentials', options, tokenUrl, 'form', 'client_secret_post');
 * ```
 */
export function clientAuthentication(
  flowName: string,
  options: ClientAuthInput,
  tokenUrl: string,
  bodyFormat: BodyFormat,
  fallback: ClientAuth,
): ClientAuthentication {
  const label = (name: string): string => `${flowName}: ${name}`;
  const { clientId, clientSecret, privateKey, clientAssertion } = options;
  const keyed = privateKey !== undefined || clientAssertion !== undefined;
  const method = oneOf(
    label('clientAuth'),
    options.clientAuth,
    methods,
    keyed ? 'private_key_jwt' : fallback,
  );
  const given = privateKey !== undefined ? 'privateKey' : 'clientAssertion';
  if (keyed && method !== 'private_key_jwt')
    throw new TypeError(`${label(given)} needs clientAuth 'private_key_jwt' (got '${method}')`);
  const basicEncoding = oneOf(
    label('basicEncoding'),
    options.basicEncoding,
    ['form', 'raw'],
    'form',
  );
  const none = { params: { client_id: clientId }, headers: {}, steps: [], keyMaterial: [] };
  if (method === 'none') return none;
  requireNonEmptyString(label('clientId'), clientId);
  const assertionStep = (source: ClientAssertionSettings['source']): ClientAuthentication => ({
    ...none,
    steps: [
      lazyStep(() =>
        import('./client-assertion-step.ts').then((step) =>
          step.clientAssertionStep({
            assertionLabel: label('clientAssertion'),
            bodyFormat,
            source,
          }),
        ),
      ),
    ],
    // Never the assertion (fresh each time): what identifies the credential instead.
    keyMaterial: [
      method,
      method === 'client_secret_jwt' ? String(clientSecret) : (options.keyId ?? ''),
    ],
  });
  if (method === 'private_key_jwt') {
    if (clientAssertion !== undefined) {
      if (typeof clientAssertion !== 'function')
        throw new TypeError(
          `${label('clientAssertion')} must be a function returning the assertion`,
        );
      if (privateKey !== undefined)
        throw new TypeError(
          `${label('privateKey')} and clientAssertion exclude each other: give one`,
        );
      return assertionStep({ clientAssertion });
    }
    if (privateKey === undefined)
      throw new TypeError(
        `${label('privateKey')} is required by clientAuth 'private_key_jwt' (or give clientAssertion)`,
      );
    checkPrivateKey(label('privateKey'), privateKey);
    const algorithm =
      options.signingAlgorithm === undefined
        ? undefined
        : oneOf(
            label('signingAlgorithm'),
            options.signingAlgorithm,
            ['RS256', 'PS256', 'ES256', 'EdDSA'],
            'RS256',
          );
    return assertionStep({
      signed: {
        ...claims(label, options, clientId, tokenUrl),
        label: label('privateKey'),
        key: { privateKey, algorithm },
      },
    });
  }
  requireNonEmptyString(label('clientSecret'), clientSecret);
  if (method === 'client_secret_post')
    return { ...none, params: { client_id: clientId, client_secret: clientSecret } };
  if (method === 'client_secret_basic')
    return {
      ...none,
      params: {},
      headers: { Authorization: basicCredentials(clientId, clientSecret, basicEncoding) },
    };
  if (method === 'client_secret_jwt')
    return assertionStep({
      signed: {
        ...claims(label, options, clientId, tokenUrl),
        label: label('clientSecret'),
        key: { clientSecret },
      },
    });
  const auto = { tokenUrl, clientId, clientSecret, basicEncoding, bodyFormat };
  return {
    ...none,
    steps: [
      lazyStep(() => import('./client-auth-auto.ts').then((step) => step.autoClientAuthStep(auto))),
    ],
    keyMaterial: [method, clientSecret],
  };
}

/** The checked claims settings of a signed assertion. */
function claims(
  label: (name: string) => string,
  options: ClientAuthInput,
  clientId: string,
  tokenUrl: string,
) {
  if (options.keyId !== undefined) requireNonEmptyString(label('keyId'), options.keyId);
  if (options.assertionAudience !== undefined)
    requireNonEmptyString(label('assertionAudience'), options.assertionAudience);
  return {
    clientId,
    audience: options.assertionAudience ?? tokenUrl,
    keyId: options.keyId,
    lifetimeSeconds: integerInRange(
      label('assertionLifetimeSeconds'),
      options.assertionLifetimeSeconds,
      {
        min: 1,
        max: 300,
        fallback: 60,
      },
    ),
  };
}
