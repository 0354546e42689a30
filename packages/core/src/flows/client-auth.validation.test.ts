/**
 * Bad client authentication options: a TypeError naming the option at creation wherever it is
 * visible without importing the key; a key that fails to import rejects getToken() with one.
 */
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { recordingTokenEndpoint, testKeyPair } from '../test-support/signing-keys.ts';
import { clientCredentials } from './client-credentials.ts';
import { refreshToken } from './refresh-token.ts';

const tokenUrl = 'https://auth.example.com/oauth2/token';
const base = { tokenUrl, clientId: 'app-1' };

describe('at creation', async () => {
  const ec = await testKeyPair('ES256');
  const publicPem = `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n-----END PUBLIC KEY-----`;
  const { d: _d, ...publicJwk } = ec.jwk;
  const ecdh = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  test.each([
    {
      name: 'an unknown clientAuth',
      options: { ...base, clientSecret: 's', clientAuth: 'jwt' },
      message: /^clientCredentials: clientAuth must be 'client_secret_post', .* or 'auto'$/,
    },
    {
      name: 'private_key_jwt without a key',
      options: { ...base, clientAuth: 'private_key_jwt' },
      message: /^clientCredentials: privateKey is required by clientAuth 'private_key_jwt'/,
    },
    {
      name: 'a PUBLIC KEY PEM',
      options: { ...base, privateKey: publicPem },
      message: /^clientCredentials: privateKey is a public key/,
    },
    {
      name: 'a PKCS#1 PEM',
      options: {
        ...base,
        privateKey: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
      },
      message: /privateKey must be a PKCS#8 PEM .*openssl pkcs8/,
    },
    {
      name: 'a string that is no PEM',
      options: { ...base, privateKey: 'not a key' },
      message: /^clientCredentials: privateKey must be a PKCS#8 PEM string/,
    },
    {
      name: 'a JWK without d',
      options: { ...base, privateKey: publicJwk },
      message: /^clientCredentials: privateKey is a JWK without "d"/,
    },
    {
      name: 'a public CryptoKey',
      options: { ...base, privateKey: ec.publicKey },
      message: /^clientCredentials: privateKey is a public CryptoKey/,
    },
    {
      name: 'a PKCS#1 public key PEM',
      options: { ...base, privateKey: publicPem.replaceAll('PUBLIC KEY', 'RSA PUBLIC KEY') },
      message: /^clientCredentials: privateKey is a public key/,
    },
    {
      name: 'an encrypted PKCS#8 PEM',
      options: {
        ...base,
        privateKey:
          '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
      },
      message: /privateKey must be a PKCS#8 PEM .*openssl pkcs8 -topk8 -nocrypt/,
    },
    {
      name: 'a private CryptoKey that cannot sign',
      options: { ...base, privateKey: ecdh.privateKey },
      message: /^clientCredentials: privateKey is a private CryptoKey; .*'sign' usage$/,
    },
    {
      name: 'an unknown signingAlgorithm',
      options: { ...base, privateKey: ec.jwk, signingAlgorithm: 'HS256' },
      message: /^clientCredentials: signingAlgorithm must be 'RS256', 'PS256', 'ES256' or 'EdDSA'$/,
    },
    {
      name: 'a key with client_secret_post',
      options: { ...base, privateKey: ec.jwk, clientAuth: 'client_secret_post', clientSecret: 's' },
      message:
        /^clientCredentials: privateKey needs clientAuth 'private_key_jwt' \(got 'client_secret_post'\)$/,
    },
    {
      name: 'a key and a clientAssertion',
      options: { ...base, privateKey: ec.jwk, clientAssertion: () => 'x' },
      message: /privateKey and clientAssertion exclude each other/,
    },
    {
      name: 'a clientAssertion that is a string',
      options: { ...base, clientAssertion: 'eyJ…' },
      message: /^clientCredentials: clientAssertion must be a function/,
    },
    {
      errorClass: RangeError,
      name: 'an assertion lifetime over 5 minutes',
      options: { ...base, privateKey: ec.jwk, assertionLifetimeSeconds: 301 },
      message: /^clientCredentials: assertionLifetimeSeconds must be/,
    },
    {
      name: 'an empty keyId',
      options: { ...base, privateKey: ec.jwk, keyId: '' },
      message: /^clientCredentials: keyId must be a non-empty string$/,
    },
    {
      name: 'client_secret_jwt without a secret',
      options: { ...base, clientAuth: 'client_secret_jwt' },
      message: /^clientCredentials: clientSecret must be a non-empty string$/,
    },
    {
      name: 'auto without a secret',
      options: { ...base, clientAuth: 'auto' },
      message: /^clientCredentials: clientSecret must be a non-empty string$/,
    },
    {
      name: 'an unknown basicEncoding',
      options: { ...base, clientSecret: 's', basicEncoding: 'utf8' },
      message: /^clientCredentials: basicEncoding must be 'form' or 'raw'$/,
    },
  ])('$name', ({ options, message, errorClass = TypeError }) => {
    expect(() => clientCredentials(options as never)).toThrow(errorClass);
    expect(() => clientCredentials(options as never)).toThrow(message);
  });

  test('the same checks on every flow, named after it', () => {
    expect(() => refreshToken({ ...base, refreshToken: 'rt', privateKey: publicJwk })).toThrow(
      /^refreshToken: privateKey is a JWK without "d"/,
    );
  });
});

describe('a JWK or CryptoKey that does not fit the signing algorithm, at creation', async () => {
  const rsa = await testKeyPair('RS256');
  const pss = await testKeyPair('PS256');
  const ec = await testKeyPair('ES256');
  const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const p384Jwk = await crypto.subtle.exportKey('jwk', p384.privateKey);
  test.each([
    {
      name: 'an RSA CryptoKey asked to sign ES256',
      options: { privateKey: rsa.privateKey, signingAlgorithm: 'ES256' },
      message:
        /^clientCredentials: privateKey does not fit signingAlgorithm 'ES256' \(it is a RS256 key\)$/,
    },
    {
      name: 'an RSASSA-PKCS1-v1_5 CryptoKey asked to sign PS256 (WebCrypto bound it to RS256)',
      options: { privateKey: rsa.privateKey, signingAlgorithm: 'PS256' },
      message: /^clientCredentials: privateKey does not fit signingAlgorithm 'PS256'/,
    },
    {
      name: 'an RSA-PSS CryptoKey asked to sign RS256',
      options: { privateKey: pss.privateKey, signingAlgorithm: 'RS256' },
      message:
        /^clientCredentials: privateKey does not fit signingAlgorithm 'RS256' \(it is a PS256 key\)$/,
    },
    {
      name: 'a P-256 JWK asked to sign RS256',
      options: { privateKey: ec.jwk, signingAlgorithm: 'RS256' },
      message:
        /^clientCredentials: privateKey does not fit signingAlgorithm 'RS256' \(it is a ES256 key\)$/,
    },
    {
      name: 'an RSA JWK asked to sign EdDSA',
      options: { privateKey: rsa.jwk, signingAlgorithm: 'EdDSA' },
      message: /^clientCredentials: privateKey does not fit signingAlgorithm 'EdDSA'/,
    },
    {
      name: 'a P-384 CryptoKey (no algorithm tokenwise signs with)',
      options: { privateKey: p384.privateKey },
      message: /^clientCredentials: privateKey is not an RSA, P-256 or Ed25519 key$/,
    },
    {
      name: 'a P-384 JWK',
      options: { privateKey: p384Jwk },
      message: /^clientCredentials: privateKey is not an RSA, P-256 or Ed25519 key$/,
    },
  ])('$name: a TypeError naming the option', ({ options, message }) => {
    expect(() => clientCredentials({ ...base, ...options } as never)).toThrow(TypeError);
    expect(() => clientCredentials({ ...base, ...options } as never)).toThrow(message);
  });

  test('an RSA JWK signs RS256 or PS256, chosen when it is imported: both are accepted', () => {
    for (const signingAlgorithm of ['RS256', 'PS256'] as const)
      expect(() =>
        clientCredentials({ ...base, privateKey: rsa.jwk, signingAlgorithm }),
      ).not.toThrow();
  });
});

describe('when the key is imported, on the first token request', () => {
  const manage = managersClosedAfterEach();

  const brokenPem =
    '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----';
  test.each([
    {
      name: 'a P-256 PEM asked to sign RS256',
      key: async () => (await testKeyPair('ES256')).pem,
      algorithm: 'RS256',
      message:
        /^TypeError: clientCredentials: privateKey does not fit signingAlgorithm 'RS256' \(it is a ES256 key\)$/,
    },
    {
      name: 'a PEM whose body is not a key',
      key: async () => brokenPem,
      algorithm: undefined,
      message: /^TypeError: clientCredentials: privateKey (is not|could not be imported)/,
    },
  ] as const)(
    '$name: getToken() rejects with a TypeError, nothing is sent',
    async ({ key, algorithm, message }) => {
      const endpoint = recordingTokenEndpoint();
      const tokens = manage({
        flow: clientCredentials({ ...base, privateKey: await key(), signingAlgorithm: algorithm }),
        fetch: endpoint.fetch,
      });
      const error = await tokens.getToken().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toMatch(message);
      expect(String(error)).not.toContain('MIIB');
      expect(endpoint.bodies).toHaveLength(0);
    },
  );
});
