import { inspect } from 'node:util';
import { describe, expect, test, vi } from 'vitest';
import {
  claimsOf,
  dpopToken,
  endpoint,
  flow,
  manager,
} from '../test-support/dpop-token-endpoint.ts';
import { createTokenManager } from '../token-manager.ts';

describe('the dpop option', () => {
  test('creating a manager with dpop: true does no crypto work; the key is made on first use', async () => {
    const generateKey = vi.spyOn(crypto.subtle, 'generateKey');
    const { fetch } = endpoint(dpopToken());
    const tokens = manager({ fetch });
    expect(generateKey).not.toHaveBeenCalled();
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(generateKey).toHaveBeenCalledTimes(1);
  });

  test.each([
    ['EdDSA', { name: 'Ed25519' }],
    [
      'PS256',
      {
        name: 'RSA-PSS',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
    ],
    [
      'RS256',
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
    ],
    ['ES256', { name: 'ECDSA', namedCurve: 'P-256' }],
  ] as const)('a supplied %s key pair signs the proofs with its algorithm', async (alg, params) => {
    const keyPair = (await crypto.subtle.generateKey(params, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { seen, fetch } = endpoint(dpopToken());
    await manager({ fetch, dpop: { keyPair } }).getToken();
    expect(claimsOf(seen[0]?.proof ?? null).header.alg).toBe(alg);
  });

  test('managers share a cache key only when they share the key pair', async () => {
    const keyPair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { fetch } = endpoint(dpopToken());
    const [a, b, c] = [
      manager({ fetch, dpop: { keyPair } }),
      manager({ fetch, dpop: { keyPair } }),
      manager({ fetch }),
    ];
    expect(await a.cacheKey()).toBe(await b.cacheKey());
    expect(await c.cacheKey()).not.toBe(await a.cacheKey());
    expect(await manager({ fetch, dpop: undefined }).cacheKey()).toBe(
      (await a.cacheKey()).replace(/:dpop:.*$/, ''),
    );
  });

  test.each([
    ['a string', 'yes', /dpop must be true or \{ keyPair \}/],
    ['an object without keyPair', {}, /dpop must be true or \{ keyPair \}/],
    [
      'a keyPair that is not keys',
      { keyPair: { privateKey: 'k', publicKey: 'k' } },
      /dpop\.keyPair must be a CryptoKeyPair/,
    ],
  ])('refuses %s at creation with a TypeError naming dpop', (_, dpop, message) => {
    const create = () => createTokenManager({ flow: flow(), dpop: dpop as never });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  test('refuses at creation a key of a curve or kind a proof cannot use, and a swapped pair', async () => {
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const p256 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const create = (keyPair: unknown) => () =>
      createTokenManager({ flow: flow(), dpop: { keyPair: keyPair as CryptoKeyPair } });
    expect(create(p384)).toThrow(/ECDSA key cannot sign DPoP proofs/);
    expect(create({ privateKey: hmac, publicKey: hmac })).toThrow(
      /privateKey must be a private key/,
    );
    expect(create({ privateKey: p256.publicKey, publicKey: p256.privateKey })).toThrow(TypeError);
  });

  test('the key never shows: not in util.inspect of the manager, nor in an error of a failed request', async () => {
    const keyPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { d, x } = await crypto.subtle.exportKey('jwk', keyPair.privateKey);
    const { seen, fetch } = endpoint(() =>
      Response.json({ error: 'invalid_client' }, { status: 401 }),
    );
    const tokens = manager({ fetch, dpop: { keyPair } });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    for (const shown of [
      inspect(tokens, { depth: 8, showHidden: true }),
      inspect(error, { depth: 8, showHidden: true }),
      JSON.stringify(error),
      String(error),
    ]) {
      expect(shown).not.toContain(d as string);
      expect(shown).not.toContain(x as string);
    }
  });
});
