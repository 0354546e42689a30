/**
 * What can be seen of a `privateKey` option without importing it: the checks made when a flow is
 * created, so that a public key, or a JWK or `CryptoKey` that does not fit the signing algorithm,
 * fails at once with a TypeError naming the option. A PEM's algorithm shows only once it is
 * decoded: it is checked when the key is imported, on the first token request.
 *
 * @module
 */
import { oneOf, optionalFunction } from '../internal/options.ts';
import { algorithmOfJwk, algorithmOfKey } from '../jose/signing-algorithm.ts';
import type { ClientAssertionOptions } from './client-auth-options.ts';

/**
 * What tokenwise reads of a WebCrypto `CryptoKey` (spelled out, so that the types need no DOM
 * lib): any `CryptoKey` fits.
 *
 * @example
 * ```ts
 * const key: CryptoKeyLike = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])).privateKey;
 * ```
 */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

/**
 * A private JSON Web Key (RFC 7517, RFC 7518 §6): what `crypto.subtle.exportKey('jwk', …)` and
 * `KeyObject.export({ format: 'jwk' })` return for a private key.
 *
 * @example
 * ```ts
 * const jwk: PrivateJwk = JSON.parse(process.env.CLIENT_JWK!);
 * ```
 */
export interface PrivateJwk {
  readonly kty?: string | undefined;
  readonly crv?: string | undefined;
  readonly alg?: string | undefined;
  readonly kid?: string | undefined;
  readonly use?: string | undefined;
  readonly key_ops?: readonly string[] | undefined;
  readonly ext?: boolean | undefined;
  /** The private member: without it, the JWK is a public key. */
  readonly d?: string | undefined;
  readonly n?: string | undefined;
  readonly e?: string | undefined;
  readonly p?: string | undefined;
  readonly q?: string | undefined;
  readonly dp?: string | undefined;
  readonly dq?: string | undefined;
  readonly qi?: string | undefined;
  readonly x?: string | undefined;
  readonly y?: string | undefined;
}

/**
 * A private key for `private_key_jwt`: a WebCrypto `CryptoKey` (type `private`, usable to sign),
 * a private JWK (with `d`), or a PKCS#8 PEM string (`-----BEGIN PRIVATE KEY-----`).
 *
 * @example
 * ```ts
 * const privateKey: PrivateKeyInput = process.env.CLIENT_PRIVATE_KEY_PEM!;
 * ```
 */
export type PrivateKeyInput = CryptoKeyLike | PrivateJwk | string;

/**
 * The algorithms `private_key_jwt` signs with: `RS256` (the default for RSA keys), `PS256`,
 * `ES256` (P-256 keys) and `EdDSA` (Ed25519 keys).
 *
 * @example
 * ```ts
 * const signingAlgorithm: AsymmetricSigningAlgorithm = 'PS256';
 * ```
 */
export type AsymmetricSigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

/**
 * What is wrong with a private key option as far as shows without importing it, or `undefined`
 * when nothing shows: a missing key, a `PUBLIC KEY` PEM, a PKCS#1 or SEC1 PEM, a string that is
 * no PEM, a JWK without `d`, a public or non-signing `CryptoKey`.
 */
function privateKeyProblem(key: unknown): string | undefined {
  if (key === undefined)
    return "is required by clientAuth 'private_key_jwt' (or give clientAssertion)";
  if (typeof key === 'string') {
    // The PEM's label: `PRIVATE KEY` (PKCS#8), `PUBLIC KEY`, `RSA PRIVATE KEY` (PKCS#1), …
    const label = /-----BEGIN ([A-Z ]+)-----/.exec(key)?.[1] ?? '';
    if (label === 'PRIVATE KEY') return undefined;
    if (label.endsWith('PUBLIC KEY')) return 'is a public key (a PUBLIC KEY PEM)';
    if (label.endsWith('PRIVATE KEY'))
      return 'must be a PKCS#8 PEM (BEGIN PRIVATE KEY): `openssl pkcs8 -topk8 -nocrypt` converts it';
  } else if (typeof key === 'object' && key !== null) {
    const { type, usages, d } = key as Partial<CryptoKeyLike & PrivateJwk>;
    if (usages === undefined)
      return typeof d === 'string' ? undefined : 'is a JWK without "d", a public key';
    return type === 'private' && usages.includes('sign')
      ? undefined
      : `is a ${type} CryptoKey; give a private one with the 'sign' usage`;
  }
  return 'must be a PKCS#8 PEM string, a private JWK or a CryptoKey';
}

/**
 * Checks the options of `private_key_jwt` (TypeError naming the option, `label` spelling it with
 * the flow's name): an assertion callback, or a private key with an algorithm that exists.
 *
 * @example
 * ```ts
 * checkKeyOptions((name) => `clientCredentials: ${name}`, { privateKey: publicJwk }); // TypeError
 * ```
 */
export function checkKeyOptions(
  label: (name: string) => string,
  options: ClientAssertionOptions,
): void {
  const { privateKey } = options;
  const problem =
    optionalFunction(label('clientAssertion'), options.clientAssertion) === undefined
      ? privateKeyProblem(privateKey)
      : privateKey === undefined
        ? undefined
        : 'and clientAssertion exclude each other: give one';
  if (problem !== undefined) throw new TypeError(`${label('privateKey')} ${problem}`);
  oneOf(
    label('signingAlgorithm'),
    options.signingAlgorithm,
    ['RS256', 'PS256', 'ES256', 'EdDSA'],
    'RS256',
  );
  const requested = options.signingAlgorithm ?? undefined;
  const misfit =
    typeof privateKey === 'object' ? algorithmProblem(privateKey, requested) : undefined;
  if (misfit !== undefined) throw new TypeError(`${label('privateKey')} ${misfit}`);
}

/**
 * Whether a JWK or a `CryptoKey` can sign `requested` (or any algorithm tokenwise signs with),
 * from its type and curve: `undefined` when it can, what is wrong otherwise. An RSA JWK signs
 * RS256 or PS256 (the algorithm is chosen when it is imported); a `CryptoKey` was bound to one
 * algorithm when it was made.
 */
function algorithmProblem(
  key: CryptoKeyLike | PrivateJwk,
  requested: AsymmetricSigningAlgorithm | undefined,
): string | undefined {
  const isJwk = !('usages' in key);
  const found = isJwk ? algorithmOfJwk(key) : algorithmOfKey(key as CryptoKey);
  if (found === undefined || found === 'HS256') return 'is not an RSA, P-256 or Ed25519 key';
  const rsa = (algorithm: string) => algorithm === 'RS256' || algorithm === 'PS256';
  if (requested === undefined || requested === found || (isJwk && rsa(found) && rsa(requested)))
    return undefined;
  return `does not fit signingAlgorithm '${requested}' (it is a ${found} key)`;
}
