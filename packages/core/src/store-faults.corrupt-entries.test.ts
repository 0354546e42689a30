/**
 * The manager against corrupt store entries (1,000 generated): each is a miss, reported without
 * its value, never served, and overwritten with the new token; real tokens, of any class, pass.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { cacheKey, flow, useFakeTimersEachTest } from './test-support/faulty-store.ts';
import type { Token } from './token.ts';
import { createTokenManager } from './token-manager.ts';
import { MemoryTokenStore } from './token-store.ts';

useFakeTimersEachTest();

describe('corrupt store entries', () => {
  const valid = {
    accessToken: 'stored-token',
    tokenType: 'Bearer',
    expiresAt: Date.UTC(2100, 0, 1),
    issuedAt: Date.UTC(2026, 0, 1),
    refreshToken: 'r',
    scope: 'a b',
    raw: {},
  };
  const notAnObject = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(fc.anything()),
    fc.constant(new Map()),
    fc.constant(new Date()),
  );
  const unsendable = fc.oneof(
    fc.constant(''),
    fc.string().map((s) => `${s}\r\nX-Injected: 1`),
    fc.string().map((s) => ` ${s}x`),
    fc.string().map((s) => `x${s} `),
    fc.string().map((s) => `x\u0000${s}`),
    fc.string().map((s) => `tok\u00e9n${s}`),
    fc.string().map((s) => `x\t${s}y`),
  );
  const notAString = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.object(),
    fc.array(fc.string()),
  );
  const notATime = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, true),
    fc.string(),
    fc.object(),
  );
  const corrupt: fc.Arbitrary<unknown> = fc.oneof(
    notAnObject,
    fc.oneof(unsendable, notAString).map((accessToken) => ({ ...valid, accessToken })),
    fc
      .oneof(notAString, fc.constantFrom('', 'Bearer x', 'Bearer\r\n', 'DPoP', 'MAC', 'PoP', 'N_A'))
      .map((tokenType) => ({ ...valid, tokenType })),
    fc
      .tuple(fc.constantFrom('expiresAt', 'issuedAt', 'refreshTokenExpiresAt'), notATime)
      .map(([field, value]) => ({ ...valid, [field]: value })),
    fc
      .tuple(fc.constantFrom('refreshToken', 'scope'), notAString)
      .map(([field, value]) => ({ ...valid, [field]: value })),
    fc
      .oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything()))
      .map((raw) => ({ ...valid, raw })),
  );

  it('are a miss, reported, never served, and overwritten with the new token (1,000 generated entries)', async () => {
    vi.useRealTimers(); // no timer involved: the endpoint answers at once
    // The check lets real tokens through: a valid entry is served, nothing reported.
    const store = new MemoryTokenStore();
    await store.set(cacheKey, valid);
    const control = createTokenManager({
      flow,
      cacheKey,
      store,
      onError: (e) => {
        throw e;
      },
      fetch: () => {
        throw new Error('no request expected');
      },
    });
    expect(await control.getToken()).toEqual(valid);
    // So does an entry of another realm or class (a store may build its own objects), in any case.
    class StoredToken {
      constructor(
        readonly accessToken: string,
        readonly tokenType: string,
        readonly raw: object,
      ) {}
    }
    await store.set(cacheKey, new StoredToken('class-token', 'bearer', {}) as never);
    await control.invalidate('stored-token');
    expect(await control.getToken()).toMatchObject({
      accessToken: 'class-token',
      tokenType: 'Bearer',
    });
    await fc.assert(
      fc.asyncProperty(corrupt, async (entry) => {
        const inner = new MemoryTokenStore();
        await inner.set(cacheKey, entry as Token);
        const onError = vi.fn();
        const tokens = createTokenManager({
          flow,
          cacheKey,
          store: inner,
          onError,
          fetch: async () => Response.json({ access_token: 'fresh', expires_in: 3600 }),
        });
        const token = await tokens.getToken();
        expect(token.accessToken).toBe('fresh');
        expect((await inner.get(cacheKey))?.accessToken).toBe('fresh');
        expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
        // The report names what is wrong, never the entry's value.
        const [[reported]] = onError.mock.calls as [[Error]];
        expect(reported.message).toMatch(
          /^The token store returned an entry that is not a token: /,
        );
        const stored = (entry as { accessToken?: unknown }).accessToken;
        if (typeof stored === 'string' && stored.length > 2)
          expect(reported.message).not.toContain(stored);
        await tokens.close();
      }),
      { numRuns: 1_000 },
    );
  });
});
