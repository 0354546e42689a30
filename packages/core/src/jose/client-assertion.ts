/**
 * RFC 7523 §2.2 client assertions: the JWT a client signs to authenticate at the token endpoint
 * (`private_key_jwt` with a private key, `client_secret_jwt` with HMAC over the client secret).
 * Reached only through a dynamic import, so that clients authenticating with a secret do not
 * carry the signing code.
 *
 * @module
 */

import type { PrivateKeyInput } from '../flows/private-key-option.ts';
import { importSigningKey, type SigningKey } from './import-signing-key.ts';
import { randomJti, signJws } from './jws.ts';
import type { SigningAlgorithm } from './signing-algorithm.ts';

/**
 * What a client assertion says and how it is signed.
 *
 * @example
 * ```ts
 * const assertion: AssertionSettings = {
 *   label: 'clientCredentials: privateKey', clientId: 'app', audience: tokenUrl,
 *   lifetimeSeconds: 60, key: { privateKey: pem },
 * };
 * ```
 */
export interface AssertionSettings {
  /** The option the key came from, for errors. */
  readonly label: string;
  readonly clientId: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
  readonly keyId?: string | undefined;
  /** The private key (and its requested algorithm), or the secret of `client_secret_jwt`. */
  readonly key:
    | {
        readonly privateKey: PrivateKeyInput;
        readonly algorithm?: SigningAlgorithm | undefined;
      }
    | { readonly clientSecret: string };
}

/**
 * Imports the key once and returns the signer: each call makes a new assertion with `iss` = `sub`
 * = the client id, `aud`, a fresh random `jti`, `iat` = now and `exp` = now + the lifetime
 * (seconds, from the injected clock), and `kid` when a key id is given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 * @example
 * ```ts
 * const sign = await assertionSigner(settings);
 * const jwt = await sign(Date.now());
 * ```
 */
export async function assertionSigner(
  settings: AssertionSettings,
): Promise<(nowMs: number) => Promise<string>> {
  const signing = await signingKey(settings);
  const header =
    settings.keyId === undefined ? { typ: 'JWT' } : { typ: 'JWT', kid: settings.keyId };
  return (nowMs) => {
    const iat = Math.floor(nowMs / 1000);
    const payload = {
      iss: settings.clientId,
      sub: settings.clientId,
      aud: settings.audience,
      jti: randomJti(),
      iat,
      exp: iat + settings.lifetimeSeconds,
    };
    return signJws(header, payload, signing.key, signing.algorithm);
  };
}

async function signingKey(settings: AssertionSettings): Promise<SigningKey> {
  const { key } = settings;
  if ('privateKey' in key)
    // The option's types spell out what a CryptoKey and a JWK are; these are the runtime's.
    return importSigningKey(
      settings.label,
      key.privateKey as CryptoKey | JsonWebKey | string,
      key.algorithm,
    );
  const hmac = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key.clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return { key: hmac, algorithm: 'HS256' };
}
