/**
 * Refresh token rotation, and `onTokenChange`: awaited before any caller gets the new token.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { deferred, isPending, until } from './test-support/async.ts';
import {
  clock,
  manage,
  replaceServer,
  rtFlow,
  server,
  useManagerFixture,
} from './test-support/manager-fixture.ts';
import type { Token } from './token.ts';
import { MemoryTokenStore } from './token-store.ts';

useManagerFixture();

describe('refresh token rotation and onTokenChange', () => {
  it('replaces the refresh token when the server rotates it', async () => {
    const tokens = manage({ flow: await rtFlow() });
    const first = await tokens.getToken();
    const second = await tokens.getToken({ forceRefresh: true });
    const third = await tokens.getToken({ forceRefresh: true });
    expect(server.tokenRequests.map((r) => r.params.refresh_token)).toEqual([
      'refresh-start',
      first.refreshToken,
      second.refreshToken,
    ]);
    expect(new Set([first.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);
    expect(third.refreshToken).not.toBe('refresh-start');
  });

  it('keeps the refresh token when the server omits refresh_token', async () => {
    await replaceServer({ refreshTokens: 'omit' });
    const tokens = manage({ flow: await rtFlow() });
    const first = await tokens.getToken();
    const second = await tokens.getToken({ forceRefresh: true });
    expect(first.refreshToken).toBe('refresh-start');
    expect(second.refreshToken).toBe('refresh-start');
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(server.tokenRequests.map((r) => r.params.refresh_token)).toEqual([
      'refresh-start',
      'refresh-start',
    ]);
  });

  it('awaits onTokenChange before any caller gets the new token', async () => {
    const persisted = deferred();
    onTestFinished(() => persisted.resolve());
    const seen: Token[] = [];
    const tokens = manage({
      flow: await rtFlow(),
      onTokenChange: async (token) => {
        seen.push(token);
        await persisted.promise;
      },
    });
    const first = tokens.getToken();
    await until(() => seen.length === 1);
    const second = tokens.getToken();
    expect(await isPending(first)).toBe(true);
    expect(await isPending(second)).toBe(true);
    persisted.resolve();
    expect(await first).toBe(await second);
    expect((await first).refreshToken).toBe(seen[0]?.refreshToken);
  });

  it('does not let an invalidate hand out the new token while onTokenChange is pending', async () => {
    const persisted = deferred();
    onTestFinished(() => persisted.resolve());
    const seen: Token[] = [];
    const tokens = manage({
      onTokenChange: async (token) => {
        seen.push(token);
        if (seen.length === 2) await persisted.promise;
      },
    });
    const a = await tokens.getToken();
    const forced = tokens.getToken({ forceRefresh: true });
    await until(() => seen.length === 2);
    await tokens.invalidate(a.accessToken); // an adapter's 401 for the old token
    const next = tokens.getToken();
    expect(await isPending(next)).toBe(true);
    expect(await isPending(forced)).toBe(true);
    persisted.resolve();
    const b = await forced;
    expect(b.accessToken).toBe(seen[1]?.accessToken);
    expect(await next).toBe(b);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('rejects with ERR_TOKEN_CHANGE_HANDLER when onTokenChange throws, and keeps the token cached', async () => {
    const failure = new Error('database is down');
    const onTokenChange = vi.fn(() => {
      throw failure;
    });
    const store = new MemoryTokenStore({ now: clock.now });
    const tokens = manage({ flow: await rtFlow(), onTokenChange, store });
    const results = await Promise.allSettled([tokens.getToken(), tokens.getToken()]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
      expect(reason).toBeInstanceOf(TokenwiseError);
      expect(reason).toMatchObject({ code: 'ERR_TOKEN_CHANGE_HANDLER', cause: failure });
    }
    const token = await tokens.getToken();
    expect(token.accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(onTokenChange).toHaveBeenCalledTimes(1);
    expect((await store.get(await tokens.cacheKey()))?.accessToken).toBe(token.accessToken);
  });
});
