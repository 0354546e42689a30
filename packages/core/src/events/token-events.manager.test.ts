/**
 * The token request events of a manager, through `createTokenManager({ onEvent })` against the
 * loopback token server: when each fires, how often, and what it carries (the cache events:
 * `token-events.cache.test.ts`).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../internal/backoff.ts';
import { recorder } from '../test-support/event-recorder.ts';
import { clock, hour, manage, server, useManagerFixture } from '../test-support/manager-fixture.ts';
import { MemoryTokenStore } from '../token-store.ts';

useManagerFixture();

/** The server takes `ms` of the manual clock to answer each token request. */
function answersAfter(ms: number): void {
  server.beforeAnswer = () => clock.advance(ms);
}

describe('token request events', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('concurrent cache misses share one token request while the cache key is worked out for listeners', async () => {
    // The key is a digest (asynchronous): here the runtime settles a second one only after the
    // first caller has its token. Each caller awaiting a digest of its own, the second would find
    // no renewal under way and start another.
    const digest = crypto.subtle.digest.bind(crypto.subtle);
    let firstCaller: Promise<unknown> | undefined;
    let calls = 0;
    vi.spyOn(crypto.subtle, 'digest').mockImplementation(async (...args) => {
      const later = ++calls > 1;
      const result = await digest(...args);
      if (later) await firstCaller;
      return result;
    });
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent });
    firstCaller = tokens.getToken();
    await Promise.all([firstCaller, tokens.getToken()]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(seen.of('token.cache_miss')).toHaveLength(2);
  });

  it('the store, the events and cacheKey() share one digest of the flow', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent, store: new MemoryTokenStore() });
    await tokens.getToken();
    const key = await tokens.cacheKey();
    expect(await tokens.cacheKey()).toBe(key);
    expect(seen.of('token.obtained')[0]?.cacheKey).toBe(key);
    expect(digest).toHaveBeenCalledTimes(1);
  });

  it('events carry the store key the manager uses: with DPoP, the given cacheKey and the key’s thumbprint', async () => {
    server.tokenType = 'DPoP';
    const seen = recorder();
    const tokens = manage({ onEvent: seen.onEvent, cacheKey: 'tenant-a', dpop: true });
    await tokens.getToken();
    const storeKey = await tokens.cacheKey();
    expect(storeKey).toMatch(/^tenant-a:dpop:[\w-]{43}$/);
    expect(seen.events.length).toBeGreaterThan(0);
    expect(new Set(seen.events.map((event) => event.cacheKey))).toEqual(new Set([storeKey]));
  });

  it('a caller that misses the cache once someone started listening joins the token request already under way', async () => {
    // Nobody listens when the first caller starts the token request; a subscriber arrives; the
    // second caller then waits for the cache key's digest, which settles after that request is
    // over. It must still get that request's token, not make another.
    const digest = crypto.subtle.digest.bind(crypto.subtle);
    let firstCaller: Promise<unknown> | undefined;
    vi.spyOn(crypto.subtle, 'digest').mockImplementation(async (...args) => {
      const result = await digest(...args);
      await firstCaller;
      return result;
    });
    const tokens = manage();
    firstCaller = tokens.getToken();
    const misses: unknown[] = [];
    const listener = (message: unknown) => misses.push(message);
    diagnosticsChannel.subscribe('tokenwise:token.cache_miss', listener);
    try {
      const [first, second] = await Promise.all([firstCaller, tokens.getToken()]);
      expect(second).toBe(first);
      expect(server.tokenRequests).toHaveLength(1);
      expect(misses).toHaveLength(1);
    } finally {
      diagnosticsChannel.unsubscribe('tokenwise:token.cache_miss', listener);
    }
  });

  it('reports one requested and one obtained for 10 concurrent callers, each a cache miss', async () => {
    const seen = recorder();
    answersAfter(250);
    const tokens = manage({ onEvent: seen.onEvent });
    await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(seen.of('token.cache_miss')).toHaveLength(10);
    expect(seen.of('token.requested')).toEqual([
      expect.objectContaining({
        method: 'POST',
        grantType: 'client_credentials',
        reason: 'needed',
      }),
    ]);
    const cacheKey = await tokens.cacheKey();
    expect(seen.of('token.obtained')).toEqual([
      {
        type: 'token.obtained',
        time: clock.now(),
        cacheKey,
        grant: 'client_credentials',
        tokenUrl: server.tokenUrl,
        grantType: 'client_credentials',
        reason: 'needed',
        durationMs: 250,
        attempt: 1,
        status: 200,
        expiresInMs: hour - 250,
      },
    ]);
    expect(seen.events.map((event) => event.cacheKey)).toEqual(seen.events.map(() => cacheKey));
  });

  it('reports each retry as a backoff, then the failure with its attempts, status and error code', async () => {
    const seen = recorder();
    answersAfter(100);
    server.script(
      { status: 503, body: { error: 'temporarily_unavailable' } },
      { status: 503, body: 'down' },
      { status: 400, body: { error: 'invalid_scope', error_description: 'No.' } },
    );
    const retry = { limit: 2, baseDelayMs: 4, maxDelayMs: 8 };
    const tokens = manage({ onEvent: seen.onEvent, retry });
    await expect(tokens.getToken()).rejects.toThrow('400');
    expect(
      seen
        .of('token.backoff')
        .map(({ attempt, delayMs, status, error }) => ({ attempt, delayMs, status, error })),
    ).toEqual(
      [1, 2].map((attempt) => ({
        attempt,
        delayMs: backoffDelay(attempt - 1, 4, 8, () => 0),
        status: 503,
        error: { name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' },
      })),
    );
    expect(seen.of('token.failed')).toEqual([
      expect.objectContaining({
        durationMs: 300,
        attempt: 3,
        status: 400,
        error: { name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' },
      }),
    ]);
    expect(seen.of('token.obtained')).toEqual([]);
  });

  it('reports a network failure without a status', async () => {
    const seen = recorder();
    server.script({ write: (res) => res.socket?.destroy() });
    const tokens = manage({ onEvent: seen.onEvent, retry: false });
    await expect(tokens.getToken()).rejects.toThrow();
    expect(seen.of('token.failed')).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: undefined,
        error: { name: 'TokenRequestError', code: 'ERR_TOKEN_NETWORK' },
      }),
    ]);
  });
});
