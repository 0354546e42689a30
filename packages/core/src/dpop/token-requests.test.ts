import { inspect } from 'node:util';
import { verifyDpopProof } from '@tokenwise/test-kit';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TokenEndpointError } from '../errors.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';

const tokenUrl = 'https://auth.example.com/token?tenant=eu';
const flow = () => clientCredentials({ tokenUrl, clientId: 'app', clientSecret: 'secret-7f3a' });

const managers: TokenManager[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

interface Seen {
  readonly proof: string | null;
  readonly url: string;
  readonly body: string;
}

/** A token endpoint answering each request with the next of `answers` (the last repeats). */
function endpoint(...answers: ((seen: Seen) => Response)[]) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry = {
      proof: request.headers.get('dpop'),
      url: request.url,
      body: await request.text(),
    };
    seen.push(entry);
    const answer = answers[Math.min(seen.length, answers.length) - 1] as (seen: Seen) => Response;
    return answer(entry);
  };
  return { seen, fetch };
}

const dpopToken =
  (headers: HeadersInit = {}) =>
  () =>
    Response.json({ access_token: 'at-1', token_type: 'DPoP', expires_in: 300 }, { headers });
const useNonce = (nonce: string) => () =>
  Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': nonce } });

function manager(
  options: Partial<Parameters<typeof createTokenManager>[0]> & { fetch: typeof fetch },
) {
  const tokens = createTokenManager({ flow: flow(), dpop: true, retry: false, ...options });
  managers.push(tokens);
  return tokens;
}

function claimsOf(proof: string | null) {
  return verifyDpopProof(proof, {
    method: 'POST',
    url: tokenUrl,
    seenJtis: new Set(),
  });
}

describe('token requests with dpop: true', () => {
  test('carry a proof RFC 9449 §4.3 accepts (typ, ES256, public jwk, htm, htu without query, iat, jti); the token is DPoP', async () => {
    const { seen, fetch } = endpoint(dpopToken());
    const tokens = manager({ fetch });
    const token = await tokens.getToken();
    expect(token.tokenType).toBe('DPoP');
    const { header, claims, jkt } = claimsOf(seen[0]?.proof ?? null);
    expect(header).toMatchObject({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256' },
    });
    expect(header.jwk).not.toHaveProperty('d');
    expect(claims).toMatchObject({ htm: 'POST', htu: 'https://auth.example.com/token' });
    expect(claims).not.toHaveProperty('nonce');
    expect(claims).not.toHaveProperty('ath');
    expect(await tokens.cacheKey()).toMatch(new RegExp(`:dpop:${jkt}$`));
  });

  test('every attempt of the retry policy signs a new proof (new jti), with the same key', async () => {
    const { seen, fetch } = endpoint(
      () => new Response('busy', { status: 503 }),
      () => new Response('busy', { status: 503 }),
      dpopToken(),
    );
    const tokens = manager({ fetch, retry: { limit: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    await tokens.getToken();
    const seenJtis = new Set<string>();
    const proofs = seen.map((entry) =>
      verifyDpopProof(entry.proof, { method: 'POST', url: tokenUrl, seenJtis }),
    );
    expect(proofs).toHaveLength(3);
    expect(new Set(proofs.map((proof) => proof.jkt)).size).toBe(1);
  });

  test('a 400 use_dpop_nonce is sent once more with the nonce, outside the retry policy (retry: false)', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), dpopToken());
    const tokens = manager({ fetch, retry: false });
    expect((await tokens.getToken()).accessToken).toBe('at-1');
    expect(seen).toHaveLength(2);
    expect(claimsOf(seen[0]?.proof ?? null).claims).not.toHaveProperty('nonce');
    expect(claimsOf(seen[1]?.proof ?? null).claims.nonce).toBe('n-1');
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  test('a second use_dpop_nonce for the re-sent request is the error, not another re-send', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), useNonce('n-2'));
    const tokens = manager({ fetch });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'use_dpop_nonce' });
    expect(seen).toHaveLength(2);
  });

  test('a 400 of another error, or without a DPoP-Nonce, is not re-sent', async () => {
    for (const answer of [
      () =>
        Response.json({ error: 'invalid_client' }, { status: 400, headers: { 'DPoP-Nonce': 'n' } }),
      () => Response.json({ error: 'use_dpop_nonce' }, { status: 400 }),
    ]) {
      const { seen, fetch } = endpoint(answer);
      const error = await manager({ fetch })
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(seen).toHaveLength(1);
    }
  });

  test('the nonce is remembered for the next token request, and updated from a success answer', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), dpopToken({ 'DPoP-Nonce': 'n-2' }));
    const tokens = manager({ fetch });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen.map((entry) => claimsOf(entry.proof).claims.nonce)).toEqual([
      undefined,
      'n-1',
      'n-2',
    ]);
  });

  test('a Bearer answer to a DPoP request is a Bearer token (RFC 9449 §5); MAC is refused', async () => {
    const bearer = endpoint(() => Response.json({ access_token: 'at-b', token_type: 'bearer' }));
    expect((await manager({ fetch: bearer.fetch }).getToken()).tokenType).toBe('Bearer');
    const mac = endpoint(() => Response.json({ access_token: 'at-m', token_type: 'MAC' }));
    const error = await manager({ fetch: mac.fetch })
      .getToken()
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('"MAC"');
  });

  test('without dpop, a DPoP token is a TokenResponseError that points at the option', async () => {
    const { fetch } = endpoint(dpopToken());
    const error = await manager({ fetch, dpop: undefined })
      .getToken()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/"DPoP".*`dpop` option/);
  });

  test('a refresh is sent with the same key as the first token request', async () => {
    const { seen, fetch } = endpoint(() =>
      Response.json({
        access_token: `at-${seen.length}`,
        token_type: 'DPoP',
        expires_in: 300,
        refresh_token: `rt-${seen.length}`,
      }),
    );
    const tokens = createTokenManager({
      flow: refreshToken({ tokenUrl, clientId: 'app', refreshToken: 'rt-0' }),
      dpop: true,
      fetch,
    });
    managers.push(tokens);
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen.map((entry) => entry.body)).toEqual([
      expect.stringContaining('refresh_token=rt-0'),
      expect.stringContaining('refresh_token=rt-1'),
    ]);
    const keys = seen.map((entry) => claimsOf(entry.proof).jkt);
    expect(keys[1]).toBe(keys[0]);
  });
});

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
