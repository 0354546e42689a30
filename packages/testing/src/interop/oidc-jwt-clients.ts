/**
 * The clients that authenticate to the interop provider with a JWT (RFC 7523 §2.2): one
 * `private_key_jwt` client per key type and algorithm (RSA RS256 and PS256, EC P-256 ES256,
 * Ed25519 EdDSA), registered with its public JWK, and one `client_secret_jwt` client. The private
 * key is given to tokenwise in a different form for each (PEM, JWK, CryptoKey), so that each form
 * is proven against the provider.
 *
 * @module
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { AsymmetricSigningAlgorithm, PrivateKeyInput } from '@tokenwise/core';

/**
 * A `private_key_jwt` client: its id, the algorithm it registered, and its private key as tokenwise
 * takes it.
 *
 * @example
 * ```ts
 * clientCredentials({ tokenUrl, clientId: client.clientId, privateKey: client.privateKey, signingAlgorithm: client.algorithm });
 * ```
 */
export interface KeyedClient {
  readonly clientId: string;
  readonly algorithm: AsymmetricSigningAlgorithm;
  /** How the private key is given: a PKCS#8 PEM, a private JWK or a CryptoKey. */
  readonly keyForm: 'pem' | 'jwk' | 'cryptoKey';
  readonly privateKey: PrivateKeyInput;
  /** The registered public key. */
  readonly publicJwk: Record<string, unknown>;
}

/**
 * Every JWT-authenticating client of one provider.
 *
 * @example
 * ```ts
 * const { keyed, secretJwt } = await newJwtClients();
 * ```
 */
export interface JwtClients {
  readonly keyed: readonly KeyedClient[];
  /** A `client_secret_jwt` client (HS256 over the secret). */
  readonly secretJwt: { readonly clientId: string; readonly clientSecret: string };
}

const specs = [
  { algorithm: 'RS256', type: 'rsa', keyForm: 'pem' },
  { algorithm: 'PS256', type: 'rsa', keyForm: 'pem' },
  { algorithm: 'ES256', type: 'ec', keyForm: 'jwk' },
  { algorithm: 'EdDSA', type: 'ed25519', keyForm: 'cryptoKey' },
] as const;

let keys: Promise<KeyedClient[]> | undefined;

/** One key per algorithm per process: RSA key generation is slow. */
function keyedClients(): Promise<KeyedClient[]> {
  keys ??= Promise.all(
    specs.map(async ({ algorithm, type, keyForm }): Promise<KeyedClient> => {
      const pair =
        type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : type === 'ec'
            ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
            : generateKeyPairSync('ed25519');
      const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const jwk = pair.privateKey.export({ format: 'jwk' }) as JsonWebKey;
      const privateKey =
        keyForm === 'pem'
          ? pem
          : keyForm === 'jwk'
            ? jwk
            : await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign']);
      return {
        clientId: `cc-${algorithm.toLowerCase()}`,
        algorithm,
        keyForm,
        privateKey,
        publicJwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
      };
    }),
  );
  return keys;
}

/**
 * The JWT clients of a new provider (keys shared per process, the HMAC secret fresh).
 *
 * @example
 * ```ts
 * const jwtClients = await newJwtClients();
 * ```
 */
export async function newJwtClients(): Promise<JwtClients> {
  return {
    keyed: await keyedClients(),
    secretJwt: {
      clientId: 'cc-hs256',
      clientSecret: `cc-hs256-secret-${randomBytes(24).toString('hex')}`,
    },
  };
}

/**
 * The clients as oidc-provider registers them: each with its method and signing algorithm, and
 * the `private_key_jwt` ones with their public JWK.
 *
 * @example
 * ```ts
 * new Provider(issuer, { clients: [...clientMetadata(clients), ...jwtClientMetadata(jwtClients)] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function jwtClientMetadata(clients: JwtClients): Record<string, unknown>[] {
  const common = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [] };
  return [
    ...clients.keyed.map((client) => ({
      ...common,
      client_id: client.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: client.algorithm,
      jwks: { keys: [{ ...client.publicJwk, kid: `${client.clientId}-key` }] },
    })),
    {
      ...common,
      client_id: clients.secretJwt.clientId,
      client_secret: clients.secretJwt.clientSecret,
      token_endpoint_auth_method: 'client_secret_jwt',
      token_endpoint_auth_signing_alg: 'HS256',
    },
  ];
}

/**
 * An assertion for `client` signed outside tokenwise, as a workload identity platform (a
 * Kubernetes projected token, a CI job's OIDC token) would issue it: `iss` = `sub` = the client
 * id, `aud`, a fresh `jti`, 60 s of life. For the ES256 client (its key is a JWK).
 *
 * @example
 * ```ts
 * await writeFile(tokenFile, platformAssertion(es256, server.tokenUrl));
 * ```
 */
export function platformAssertion(client: KeyedClient, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iss: client.clientId,
    sub: client.clientId,
    aud: audience,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
  };
  const input = `${part({ alg: 'ES256', typ: 'JWT' })}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: client.privateKey as never,
    format: 'jwk',
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}
