/**
 * The cache events of a manager (hits, misses, invalidations, rotations, store faults), through
 * `createTokenManager({ onEvent })` against the loopback token server, and what a throwing
 * `onEvent` breaks: nothing.
 */
import { describe, expect, it } from 'vitest';
import { recorder } from '../test-support/event-recorder.ts';
import { FaultyStore } from '../test-support/faulty-store.ts';
import { clock, hour, manage, rtFlow, useManagerFixture } from '../test-support/manager-fixture.ts';
import { MemoryTokenStore } from '../token-store.ts';

useManagerFixture();

describe('cache events', () => {
  it('reports hits as fresh, then stale with one refresh ahead, whose request says so', async () => {
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent });
    await tokens.getToken();
    await tokens.getToken();
    expect(seen.of('token.cache_hit')).toEqual([
      expect.objectContaining({ freshness: 'fresh', expiresInMs: hour }),
    ]);
    clock.advance(hour - 200_000);
    await Promise.all([tokens.getToken(), tokens.getToken()]);
    expect(
      seen
        .of('token.cache_hit')
        .slice(1)
        .map((event) => event.freshness),
    ).toEqual(['stale', 'stale']);
    expect(seen.of('token.refresh_ahead')).toEqual([
      expect.objectContaining({ expiresInMs: 200_000 }),
    ]);
    await expect.poll(() => seen.of('token.obtained')).toHaveLength(2);
    expect(seen.of('token.requested').map((event) => event.reason)).toEqual(['needed', 'ahead']);
  });

  it('reports a forced refresh as a forced miss and request', async () => {
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen.of('token.cache_miss').map((event) => event.reason)).toEqual(['needed', 'forced']);
    expect(seen.of('token.requested').map((event) => event.reason)).toEqual(['needed', 'forced']);
  });

  it('reports an invalidation only when the token is dropped', async () => {
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent });
    const token = await tokens.getToken();
    expect(await tokens.invalidate('not-the-cached-token')).toBe(false);
    expect(seen.of('token.invalidated')).toEqual([]);
    expect(await tokens.invalidate(token.accessToken)).toBe(true);
    // Already dropped: nothing is dropped again.
    await tokens.invalidate(token.accessToken);
    expect(seen.of('token.invalidated')).toHaveLength(1);
  });

  it('reports a rotated refresh token once the new token is stored', async () => {
    const seen = recorder();
    const store = new MemoryTokenStore({ now: clock.now });
    const stored: (string | undefined)[] = [];
    const tokens = manage({
      flow: await rtFlow(),
      store,
      onEvent(event) {
        seen.onEvent(event);
        if (event.type === 'token.refresh_token_rotated') stored.push('seen');
      },
    });
    const first = await tokens.getToken();
    expect(seen.of('token.requested').map((event) => event.grantType)).toEqual(['refresh_token']);
    expect(seen.of('token.refresh_token_rotated')).toHaveLength(1);
    expect((await store.get(await tokens.cacheKey()))?.refreshToken).toBe(first.refreshToken);
    await tokens.getToken({ forceRefresh: true });
    expect(stored).toEqual(['seen', 'seen']);
  });

  it('reports a failing store operation by name, never by message', async () => {
    const seen = recorder();
    const store = new FaultyStore();
    store.mode = 'throw';
    const tokens = manage({ onEvent: seen.onEvent, store, onError: () => {} });
    await tokens.getToken();
    const [first] = seen.of('store.error');
    expect(first).toEqual(expect.objectContaining({ operation: 'get', error: { name: 'Error' } }));
  });
});

describe('a throwing onEvent', () => {
  it('breaks no token work; its error goes to onError', async () => {
    const reported: unknown[] = [];
    const failure = new Error('handler bug');
    const tokens = manage({
      onEvent: () => {
        throw failure;
      },
      onError: (error) => reported.push(error),
    });
    const token = await tokens.getToken();
    expect(await tokens.getToken()).toBe(token);
    expect(reported.length).toBeGreaterThanOrEqual(3);
    expect(new Set(reported)).toEqual(new Set([failure]));
  });
});
