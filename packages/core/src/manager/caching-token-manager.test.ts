/**
 * Serving the cached token costs no allocation: `getToken()` hands out one settled promise per
 * cached token, and a new one once the token changes.
 */
import { describe, expect, it } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import { manualClock } from '../test-support/async.ts';
import { createTokenManager } from '../token-manager.ts';

const hour = 3_600_000;

function manage() {
  const clock = manualClock();
  let issued = 0;
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'c',
      clientSecret: 's',
    }),
    now: clock.now,
    random: () => 0,
    fetch: async () => Response.json({ access_token: `token-${++issued}`, expires_in: 3600 }),
  });
  return { tokens, clock, issued: () => issued };
}

describe('the cached token', () => {
  it('is served as the same promise while it stays fresh, with or without a signal', async () => {
    const { tokens, issued } = manage();
    await tokens.getToken();
    const served = tokens.getToken();
    expect(tokens.getToken()).toBe(served);
    expect(tokens.getToken({ signal: new AbortController().signal })).toBe(served);
    expect((await served).accessToken).toBe('token-1');
    expect(issued()).toBe(1);
  });

  it('is served as the same promise while stale, and renewed once in the background', async () => {
    const { tokens, clock, issued } = manage();
    await tokens.getToken();
    clock.advance(hour - 4 * 60_000); // inside the 5-minute refresh-ahead window
    const served = tokens.getToken();
    expect(tokens.getToken()).toBe(served);
    expect((await served).accessToken).toBe('token-1');
    await expect.poll(async () => (await tokens.getToken()).accessToken).toBe('token-2');
    expect(issued()).toBe(2);
  });

  it('is served as a new promise once the token changed', async () => {
    const { tokens } = manage();
    await tokens.getToken();
    const first = tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    const second = tokens.getToken();
    expect(second).not.toBe(first);
    expect((await second).accessToken).toBe('token-2');
    await tokens.invalidate('token-2');
    const third = tokens.getToken();
    expect(third).not.toBe(second);
    expect((await third).accessToken).toBe('token-3');
  });

  it('is not served once the manager is closed', async () => {
    const { tokens } = manage();
    await tokens.getToken();
    await tokens.close();
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
  });
});
