/**
 * Key pairs of every algorithm client assertions sign with, in every form `privateKey` takes, and
 * the verification a token endpoint would do.
 */
import { expect } from 'vitest';
import { fromBase64url } from '../jose/from-base64url.ts';
import type { SigningAlgorithm } from '../jose/signing-algorithm.ts';
import { webCryptoAlgorithm } from '../jose/webcrypto-algorithm.ts';

/** A key pair of one algorithm, with the private key as a PEM and as a JWK too. */
export interface TestKeyPair {
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly pem: string;
  readonly jwk: JsonWebKey;
}

/**
 * A new extractable key pair for `algorithm`, exported as a PKCS#8 PEM and a private JWK.
 *
 * @example
 * const rsa = await testKeyPair('RS256');
 */
export async function testKeyPair(
  algorithm: Exclude<SigningAlgorithm, 'HS256'>,
): Promise<TestKeyPair> {
  const params = webCryptoAlgorithm(algorithm).importParams;
  const generate =
    algorithm === 'RS256' || algorithm === 'PS256'
      ? { ...params, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }
      : params;
  const pair = (await crypto.subtle.generateKey(generate, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const base64 = btoa(String.fromCharCode(...der));
  const pem = `-----BEGIN PRIVATE KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return { algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey, pem, jwk };
}

/** A decoded, verified JWT. */
export interface VerifiedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

/**
 * Decodes a compact JWS and checks its signature with `key` (a public key, or the HMAC key);
 * fails the test when it does not verify.
 *
 * @example
 * const { header, claims } = await verifyJwt(assertion, rsa.publicKey, 'RS256');
 */
export async function verifyJwt(
  jwt: string,
  key: CryptoKey,
  algorithm: SigningAlgorithm,
): Promise<VerifiedJwt> {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const text = (part: string) => new TextDecoder().decode(fromBase64url(part));
  const decodedHeader = JSON.parse(text(header)) as Record<string, unknown>;
  expect(decodedHeader.alg).toBe(algorithm);
  const valid = await crypto.subtle.verify(
    webCryptoAlgorithm(algorithm).signParams,
    key,
    fromBase64url(signature) as Uint8Array<ArrayBuffer>,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  expect(valid, 'the assertion signature verifies').toBe(true);
  return { header: decodedHeader, claims: JSON.parse(text(payload)) as Record<string, unknown> };
}

/** A token endpoint in a function: records each request's form body and answers a token. */
export function recordingTokenEndpoint(answer: () => Response = tokenAnswer) {
  const bodies: URLSearchParams[] = [];
  const headers: Headers[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    bodies.push(new URLSearchParams(String(init?.body ?? '')));
    headers.push(new Headers(init?.headers));
    return answer();
  };
  return { fetch, bodies, headers };
}

/** A Bearer token answer. */
export function tokenAnswer(): Response {
  return Response.json({
    access_token: 'at-from-endpoint',
    token_type: 'Bearer',
    expires_in: 3600,
  });
}
