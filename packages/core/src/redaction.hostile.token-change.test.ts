/**
 * An onTokenChange handler that fails with an error quoting the tokens (as a database driver
 * does): the error reaches the callers, or onError for a background refresh, with every token
 * (new and previous) redacted.
 */
import { describe, expect, test, vi } from 'vitest';
import { refreshToken } from './flows/refresh-token.ts';
import { manualClock } from './test-support/async.ts';
import {
  clientId,
  clientSecret,
  startRefreshToken,
  tokenUrl,
} from './test-support/hostile-token-endpoint.ts';
import { findLeaks } from './test-support/leaks.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import type { Token } from './token.ts';

const manage = managersClosedAfterEach();

describe('an onTokenChange handler that fails quoting the tokens', () => {
  const rotated = (n: number) => ({
    access_token: `at-HOST-rotated-${n}-4e5f`,
    refresh_token: `rt-HOST-rotated-${n}-6a7b`,
    id_token: `id-HOST-rotated-${n}-8c9d`,
    expires_in: 3600,
  });
  /** A database error as a driver throws it: the message, a detail field and a nested cause. */
  const uniqueViolation = (token: Token): Error =>
    Object.assign(
      new Error(
        `duplicate key value violates unique constraint "grants_refresh_token_key": Key (refresh_token)=(${token.refreshToken})`,
        { cause: new Error(`while saving ${JSON.stringify(token)}`) },
      ),
      { detail: `access_token=${token.accessToken}`, query: [token.raw] },
    );

  function manager(onTokenChange: (token: Token) => void, clock = manualClock()) {
    let n = 0;
    const onError = vi.fn();
    const tokenManager = manage({
      flow: refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: startRefreshToken }),
      now: clock.now,
      retry: false,
      fetch: async () => Response.json(rotated(++n)),
      onTokenChange,
      onError,
    });
    return { tokens: tokenManager, onError };
  }
  const tokenSecrets = [1, 2].flatMap((n) => {
    const { access_token, refresh_token, id_token } = rotated(n);
    return [access_token, refresh_token, id_token];
  });
  const leaked = (error: unknown): string[] =>
    findLeaks(error, [...tokenSecrets, startRefreshToken]);

  test('reaches the callers with the new and the previous tokens redacted', async () => {
    const seen: Token[] = [];
    const { tokens } = manager((token) => {
      seen.push(token);
      if (seen.length === 2)
        throw uniqueViolation({ ...token, refreshToken: seen[0]?.refreshToken });
    });
    await tokens.getToken();
    const error = await tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'TokenChangeHandlerError',
      code: 'ERR_TOKEN_CHANGE_HANDLER',
    });
    expect(leaked(error)).toEqual([]);
    const cause = (error as Error).cause as Error & { detail: string };
    expect(cause.message).toBe(
      'duplicate key value violates unique constraint "grants_refresh_token_key": Key (refresh_token)=([redacted])',
    );
    expect(cause.detail).toBe('access_token=[redacted]');
  });

  test('reaches onError from a background refresh with the tokens redacted', async () => {
    const clock = manualClock();
    let calls = 0;
    const { tokens, onError } = manager((token) => {
      if (++calls === 2) throw uniqueViolation(token);
    }, clock);
    const first = await tokens.getToken();
    clock.advance(3_400_000); // stale: the cached token is served while a refresh runs
    expect(await tokens.getToken()).toBe(first);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    const [error] = onError.mock.calls[0] ?? [];
    expect(error).toMatchObject({ code: 'ERR_TOKEN_CHANGE_HANDLER' });
    expect(leaked(error)).toEqual([]);
  });
});
