/**
 * Client authentication at the token endpoint: which method, checked at creation, and what it
 * adds to each request (body parameters and headers in the request template, or a per-attempt
 * step for a fresh assertion and for `'auto'`).
 *
 * @module
 */
import {
  appendBodyParams,
  type BasicEncoding,
  type BodyFormat,
  type BodyParams,
  basicCredentials,
} from '../internal/build-request.ts';
import { integerInRange, oneOf, requireNonEmptyString } from '../internal/options.ts';
import type { RequestStep } from '../request-step.ts';
import { autoClientAuthStep } from './client-auth-auto.ts';
import {
  type AsymmetricSigningAlgorithm,
  checkPrivateKey,
  type PrivateKeyInput,
} from './private-key-option.ts';
import { readRequestInput } from './request-input.ts';

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
 * Options of client authentication without a shared secret in the request (`private_key_jwt`,
 * `client_secret_jwt`) and of Basic credentials.
 *
 * @example
 * ```ts
 * const jwtAuth: ClientAssertionOptions = {
 *   clientAuth: 'private_key_jwt', privateKey: process.env.CLIENT_KEY_PEM!, keyId: 'key-2026-01',
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
   * form-encodes them first as RFC 6749 §2.3.1 says; `raw` sends them as they are, for servers
   * that do not decode them (a secret with `+`, `%` or `:` then fails with `form`).
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

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

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
  const keyed = options.privateKey !== undefined || options.clientAssertion !== undefined;
  const method = oneOf(
    label('clientAuth'),
    options.clientAuth,
    [
      'client_secret_post',
      'client_secret_basic',
      'client_secret_jwt',
      'private_key_jwt',
      'none',
      'auto',
    ],
    keyed ? 'private_key_jwt' : fallback,
  );
  if (keyed && method !== 'private_key_jwt')
    throw new TypeError(
      `${label(options.privateKey !== undefined ? 'privateKey' : 'clientAssertion')} needs clientAuth 'private_key_jwt' (got '${method}')`,
    );
  const basicEncoding = oneOf(
    label('basicEncoding'),
    options.basicEncoding,
    ['form', 'raw'],
    'form',
  );
  if (method === 'none')
    return { params: { client_id: options.clientId }, headers: {}, steps: [], keyMaterial: [] };
  requireNonEmptyString(label('clientId'), options.clientId);
  const { clientId } = options;
  if (method === 'private_key_jwt')
    return privateKeyJwt(label, options, clientId, tokenUrl, bodyFormat);
  requireNonEmptyString(label('clientSecret'), options.clientSecret);
  const { clientSecret } = options;
  switch (method) {
    case 'client_secret_post':
      return {
        params: { client_id: clientId, client_secret: clientSecret },
        headers: {},
        steps: [],
        keyMaterial: [],
      };
    case 'client_secret_basic':
      return {
        params: {},
        headers: { Authorization: basicCredentials(clientId, clientSecret, basicEncoding) },
        steps: [],
        keyMaterial: [],
      };
    case 'auto':
      return {
        params: { client_id: clientId },
        headers: {},
        steps: [
          autoClientAuthStep({ tokenUrl, clientId, clientSecret, basicEncoding, bodyFormat }),
        ],
        keyMaterial: [method, clientSecret],
      };
    default: {
      const settings = assertionSettings(label, options, clientId, tokenUrl);
      const step = signedAssertionStep(
        { ...settings, label: label('clientSecret'), key: { clientSecret } },
        bodyFormat,
      );
      return {
        params: { client_id: clientId },
        headers: {},
        steps: [step],
        keyMaterial: [method, clientSecret],
      };
    }
  }
}

function privateKeyJwt(
  label: (name: string) => string,
  options: ClientAuthInput,
  clientId: string,
  tokenUrl: string,
  bodyFormat: BodyFormat,
): ClientAuthentication {
  const { privateKey, clientAssertion } = options;
  const params = { client_id: clientId };
  if (clientAssertion !== undefined) {
    if (typeof clientAssertion !== 'function')
      throw new TypeError(`${label('clientAssertion')} must be a function returning the assertion`);
    if (privateKey !== undefined)
      throw new TypeError(
        `${label('privateKey')} and clientAssertion exclude each other: give one`,
      );
    const step: RequestStep = {
      prepare: async (request) => {
        const assertion = await readRequestInput(label('clientAssertion'), clientAssertion);
        return appendBodyParams(
          request,
          { client_assertion_type: assertionType, client_assertion: assertion },
          bodyFormat,
        );
      },
    };
    return {
      params,
      headers: {},
      steps: [step],
      keyMaterial: ['private_key_jwt', 'clientAssertion'],
    };
  }
  if (privateKey === undefined)
    throw new TypeError(
      `${label('privateKey')} is required by clientAuth 'private_key_jwt' (or give clientAssertion)`,
    );
  const requested =
    options.signingAlgorithm === undefined
      ? undefined
      : oneOf(
          label('signingAlgorithm'),
          options.signingAlgorithm,
          ['RS256', 'PS256', 'ES256', 'EdDSA'],
          'RS256',
        );
  const algorithm = checkPrivateKey(label('privateKey'), privateKey, requested);
  const settings = assertionSettings(label, options, clientId, tokenUrl);
  const step = signedAssertionStep(
    { ...settings, label: label('privateKey'), key: { privateKey, algorithm } },
    bodyFormat,
  );
  return {
    params,
    headers: {},
    steps: [step],
    keyMaterial: ['private_key_jwt', options.keyId ?? ''],
  };
}

/** The checked claims settings of a signed assertion. */
function assertionSettings(
  label: (name: string) => string,
  options: ClientAuthInput,
  clientId: string,
  tokenUrl: string,
) {
  if (options.keyId !== undefined) requireNonEmptyString(label('keyId'), options.keyId);
  if (options.assertionAudience !== undefined)
    requireNonEmptyString(label('assertionAudience'), options.assertionAudience);
  const lifetimeSeconds = integerInRange(
    label('assertionLifetimeSeconds'),
    options.assertionLifetimeSeconds,
    {
      min: 1,
      max: 300,
      fallback: 60,
    },
  );
  return {
    clientId,
    audience: options.assertionAudience ?? tokenUrl,
    lifetimeSeconds,
    keyId: options.keyId,
  };
}

/** Settings of {@link signedAssertionStep}: see `jose/client-assertion.ts`. */
type SignedAssertion = import('../jose/client-assertion.ts').AssertionSettings;

/**
 * A step that signs a fresh assertion for every attempt. The signing code and the key import load
 * on first use (a dynamic import), so that secret-based clients never carry them; a key that does
 * not import rejects every `getToken()` with the same TypeError.
 */
function signedAssertionStep(settings: SignedAssertion, bodyFormat: BodyFormat): RequestStep {
  let signer: Promise<(nowMs: number) => Promise<string>> | undefined;
  const { key } = settings;
  return {
    async prepare(request, context) {
      signer ??= import('../jose/client-assertion.ts').then((jwt) => jwt.assertionSigner(settings));
      const assertion = await (await signer)(context.now());
      return appendBodyParams(
        request,
        { client_assertion_type: assertionType, client_assertion: assertion },
        bodyFormat,
      );
    },
    secrets: () =>
      'clientSecret' in key
        ? [key.clientSecret]
        : typeof key.privateKey === 'string'
          ? pemSecrets(key.privateKey)
          : typeof (key.privateKey as JsonWebKey).d === 'string'
            ? privateJwkSecrets(key.privateKey as JsonWebKey)
            : [],
  };
}

/** A PEM, its Base64 body in one piece, and each line of it. */
function pemSecrets(pem: string): string[] {
  const lines = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9+/=]+$/.test(line));
  return [pem, lines.join(''), ...lines];
}

/** The private members of a JWK (RFC 7518 §6.3.2, §6.2.2, RFC 8037). */
function privateJwkSecrets(jwk: JsonWebKey): string[] {
  return [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].filter(
    (v): v is string => typeof v === 'string',
  );
}
