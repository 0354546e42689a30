import { describe, expect, it } from 'vitest';
import { base64url, base64urlText } from './base64url.ts';
import { fromBase64url } from './from-base64url.ts';
import { jwkThumbprint, publicJwk } from './jwk-thumbprint.ts';
import { randomJti, signJws } from './jws.ts';
import { algorithmOfKey, type SigningAlgorithm } from './signing-algorithm.ts';
import { webCryptoAlgorithm } from './webcrypto-algorithm.ts';

const keyParams: Record<
  SigningAlgorithm,
  RsaHashedKeyGenParams | EcKeyGenParams | HmacKeyGenParams | Algorithm
> = {
  RS256: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  } as RsaHashedKeyGenParams,
  PS256: {
    name: 'RSA-PSS',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  } as RsaHashedKeyGenParams,
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
  HS256: { name: 'HMAC', hash: 'SHA-256' } as HmacKeyGenParams,
};

async function keysFor(
  algorithm: SigningAlgorithm,
): Promise<{ sign: CryptoKey; verify: CryptoKey }> {
  const made = await crypto.subtle.generateKey(keyParams[algorithm], false, ['sign', 'verify']);
  return 'privateKey' in made
    ? { sign: made.privateKey, verify: made.publicKey }
    : { sign: made, verify: made };
}

describe('signJws', () => {
  it.each(['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'] as const)(
    '%s: a compact JWS whose signature verifies and whose parts decode to what was signed',
    async (algorithm) => {
      const keys = await keysFor(algorithm);
      expect(algorithmOfKey(keys.sign)).toBe(algorithm);
      const jws = await signJws(
        { typ: 'JWT', alg: 'none' },
        { sub: 'app', n: 1 },
        keys.sign,
        algorithm,
      );
      const [header, payload, signature] = jws.split('.') as [string, string, string];
      expect(JSON.parse(new TextDecoder().decode(fromBase64url(header)))).toEqual({
        typ: 'JWT',
        alg: algorithm,
      });
      expect(JSON.parse(new TextDecoder().decode(fromBase64url(payload)))).toEqual({
        sub: 'app',
        n: 1,
      });
      const verified = await crypto.subtle.verify(
        webCryptoAlgorithm(algorithm).signParams,
        keys.verify,
        fromBase64url(signature) as Uint8Array<ArrayBuffer>,
        new TextEncoder().encode(`${header}.${payload}`),
      );
      expect(verified).toBe(true);
      if (algorithm === 'ES256') expect(fromBase64url(signature)?.length).toBe(64); // r || s, not DER
    },
  );

  it('a key tokenwise cannot sign JWS with has no algorithm (P-384, SHA-512 HMAC)', async () => {
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
    ]);
    const hmac512 = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, false, [
      'sign',
    ]);
    expect(algorithmOfKey(p384.privateKey)).toBeUndefined();
    expect(algorithmOfKey(hmac512)).toBeUndefined();
  });

  it('every jti is new', () => {
    const seen = new Set(Array.from({ length: 1000 }, randomJti));
    expect(seen.size).toBe(1000);
  });
});

describe('base64url', () => {
  it('round-trips bytes larger than one fromCharCode chunk without padding or +/', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(65_536));
    const text = base64url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64url(text)).toEqual(bytes);
    expect(base64urlText('\u00ff\u00fe')).toBe('w7_Dvg');
    expect(fromBase64url('not base64!')).toBeUndefined();
  });
});

describe('jwkThumbprint', () => {
  it("matches RFC 9449's example key and its cnf.jkt", async () => {
    const jwk = {
      kty: 'EC',
      x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
      y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
      crv: 'P-256',
    };
    expect(await jwkThumbprint(jwk)).toBe('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I');
  });

  it('covers only the required members, so a private JWK has the same thumbprint as its public half', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
    const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const publicOnly = await crypto.subtle.exportKey('jwk', pair.publicKey);
    expect(await jwkThumbprint(privateJwk)).toBe(await jwkThumbprint(publicOnly));
    expect(publicJwk(privateJwk)).toEqual({ crv: 'Ed25519', kty: 'OKP', x: publicOnly.x });
    expect(publicJwk(privateJwk)).not.toHaveProperty('d');
  });

  it('refuses a key type it cannot thumbprint, and a JWK missing a member', async () => {
    await expect(jwkThumbprint({ kty: 'oct', k: 'c2VjcmV0' })).rejects.toThrow(TypeError);
    await expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' })).rejects.toThrow(/"y"/);
  });
});
