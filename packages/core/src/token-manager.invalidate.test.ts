/**
 * `invalidate(accessToken)`: compare-and-invalidate of the cached token, under storms, slow
 * stores and other managers sharing the store.
 */
import { describe, expect, it } from 'vitest';
import { deferred, ticks } from './test-support/async.ts';
import {
  clock,
  grants,
  manage,
  rtFlow,
  server,
  useManagerFixture,
} from './test-support/manager-fixture.ts';
import type { Token } from './token.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

useManagerFixture();

describe('invalidate', () => {
  it('drops only the token it is given (compare-and-invalidate) and says whether it did', async () => {
    const tokens = manage();
    expect(await tokens.invalidate('anything')).toBe(false); // nothing cached
    const a = await tokens.getToken();
    expect(await tokens.invalidate('not-the-cached-token')).toBe(false);
    expect(await tokens.getToken()).toBe(a);
    expect(server.tokenRequests).toHaveLength(1);

    expect(await tokens.invalidate(a.accessToken)).toBe(true);
    const b = await tokens.getToken();
    expect(b.accessToken).not.toBe(a.accessToken);
    expect(server.tokenRequests).toHaveLength(2);

    expect(await tokens.invalidate(a.accessToken)).toBe(false); // stale: the newer token stays
    expect(await tokens.getToken()).toBe(b);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('turns a storm of N concurrent invalidate + getToken with the same stale token into one token request', async () => {
    const tokens = manage();
    const stale = await tokens.getToken();
    const release = server.holdTokens();
    const storm = (): Promise<[boolean, Token]> =>
      Promise.all([tokens.invalidate(stale.accessToken), tokens.getToken()]).then(
        async ([dropped]) => [dropped, await tokens.getToken()],
      );
    const early = Array.from({ length: 25 }, storm);
    await server.tokenRequestsReached(2);
    const late = Array.from({ length: 25 }, storm); // while the new token is being fetched
    await ticks(5);
    release();
    const results = await Promise.all([...early, ...late]);
    expect(server.tokenRequests).toHaveLength(2);
    const fresh = new Set(results.map(([, token]) => token.accessToken));
    expect([...fresh]).toEqual([server.issued[1]]);
    expect(results.some(([dropped]) => dropped)).toBe(true);
    // After the storm the stale token no longer drops anything.
    expect(await tokens.invalidate(stale.accessToken)).toBe(false);
  });

  it('keeps the refresh token: the next token comes from a refresh with it', async () => {
    const tokens = manage({ flow: await rtFlow() });
    const a = await tokens.getToken();
    expect(a.refreshToken).toBeDefined();
    expect(await tokens.invalidate(a.accessToken)).toBe(true);
    const b = await tokens.getToken();
    expect(b.accessToken).not.toBe(a.accessToken);
    expect(grants()).toEqual(['refresh_token', 'refresh_token']);
    expect(server.tokenRequests[1]?.params.refresh_token).toBe(a.refreshToken);
  });

  it('does not write back a token renewed while its store read was in flight (slow store)', async () => {
    const inner = new MemoryTokenStore({ now: clock.now });
    let hold: Promise<void> | undefined;
    const store: TokenStore = {
      async get(key) {
        const value = await inner.get(key); // read now, answered later
        const wait = hold;
        hold = undefined;
        await wait;
        return value;
      },
      set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
      delete: (key) => inner.delete(key),
    };
    const tokens = manage({ flow: await rtFlow(), store });
    const a = await tokens.getToken();
    expect(await tokens.invalidate(a.accessToken)).toBe(true);
    const release = server.holdTokens();
    const renewing = tokens.getToken(); // refreshes with a's refresh token
    await server.tokenRequestsReached(2);
    const slowRead = deferred();
    hold = slowRead.promise;
    const late = tokens.invalidate(a.accessToken); // a late 401 for a, on a slow store
    await ticks(3);
    release();
    slowRead.resolve();
    const b = await renewing;
    await late;
    // The renewal's write is ordered after the invalidate's read and write: b wins, with its
    // rotated refresh token, whatever order the slow store answered in.
    expect((await tokens.getToken()).accessToken).toBe(b.accessToken);
    expect((await inner.get(await tokens.cacheKey()))?.accessToken).toBe(b.accessToken);
    await tokens.getToken({ forceRefresh: true }); // the rotated refresh token still works
    expect(server.tokenRequests.at(-1)?.params.refresh_token).toBe(b.refreshToken);
  });

  it('does not drop a newer token another manager put in the shared store', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const one = manage({ store });
    const two = manage({ store });
    const a = await one.getToken();
    expect(await two.getToken()).toEqual(a);
    expect(await one.invalidate(a.accessToken)).toBe(true);
    const b = await one.getToken();
    expect(server.tokenRequests).toHaveLength(2);
    expect(await two.invalidate(a.accessToken)).toBe(false);
    expect((await two.getToken()).accessToken).toBe(b.accessToken);
    expect(server.tokenRequests).toHaveLength(2);
  });
});
