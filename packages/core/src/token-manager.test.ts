import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import {
  clientId,
  clientSecret,
  closeAllServers,
  closedPortUrl,
  type LoopbackServer,
  renderings,
  runScript,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  errorCodes,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenwiseError,
} from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { ReauthorizationRequiredError } from './manager-errors.ts';
import {
  deferred,
  isPending,
  type ManualClock,
  manualClock,
  settlesWithoutIo,
  ticks,
  until,
} from './test-support/async.ts';
import type { Token } from './token.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const hour = 3_600_000;

let server: LoopbackServer;
let clock: ManualClock;
const managers: TokenManager[] = [];

beforeEach(async () => {
  server = await startServer();
  clock = manualClock();
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await closeAllServers();
});

function ccFlow(options: { scope?: string; audience?: string; clientId?: string } = {}): Flow {
  return clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret, ...options });
}

/** A refresh-token flow starting from `start`, which the server is made to accept first. */
async function rtFlow(start = 'refresh-start'): Promise<Flow> {
  await server.acceptRefreshToken(start);
  return refreshToken({ tokenUrl: server.tokenUrl, clientId, clientSecret, refreshToken: start });
}

/** A manager on the loopback server with the manual clock and no jitter; closed after the test. */
function manage(options: Partial<TokenManagerOptions> = {}): TokenManager {
  const manager = createTokenManager({
    now: clock.now,
    random: () => 0,
    ...options,
    flow: options.flow ?? ccFlow(),
  });
  managers.push(manager);
  return manager;
}

function grants(): (string | undefined)[] {
  return server.tokenRequests.map((request) => request.params.grant_type);
}

describe('concurrent cold start', () => {
  it('makes exactly one token request for 100 concurrent callers, who all get the same token', async () => {
    const tokens = manage();
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(server.tokenRequests).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.accessToken).toBe(server.issued[0]);
  });

  it('rejects every waiter with the one error of the shared request', async () => {
    server.script({ status: 400, body: { error: 'invalid_scope', error_description: 'No.' } });
    const tokens = manage();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(server.tokenRequests).toHaveLength(1);
    const reasons = new Set(results.map((r) => (r.status === 'rejected' ? r.reason : r.value)));
    expect(reasons.size).toBe(1);
    const [reason] = reasons;
    expect(reason).toBeInstanceOf(TokenEndpointError);
    expect(reason).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 400,
      error: 'invalid_scope',
      errorDescription: 'No.',
    });
  });
});

describe('failure backoff', () => {
  it('answers the last error at once inside the window and asks again at its exact end', async () => {
    server.script({ status: 400, body: { error: 'invalid_request' } });
    const tokens = manage();
    const first = await tokens.getToken().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(TokenEndpointError);
    clock.advance(999);
    await expect(tokens.getToken()).rejects.toBe(first);
    expect(server.tokenRequests).toHaveLength(1);
    clock.advance(1);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('doubles the window per consecutive failure and starts over after a success', async () => {
    const failure = { status: 500, body: { error: 'server_error' } };
    server.script(failure, failure);
    const tokens = manage({ retry: false });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    clock.advance(1_000);
    const second = await tokens.getToken().catch((error: unknown) => error);
    expect(server.tokenRequests).toHaveLength(2);
    clock.advance(1_999);
    await expect(tokens.getToken()).rejects.toBe(second);
    expect(server.tokenRequests).toHaveLength(2);
    clock.advance(1);
    const token = await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(3);

    // After a success the next failure gets the base window again.
    expect(await tokens.invalidate(token.accessToken)).toBe(true);
    server.script(failure);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    clock.advance(999);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(server.tokenRequests).toHaveLength(4);
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(5);
  });

  it('uses Retry-After as the window when the server sent one', async () => {
    server.script({ status: 429, body: { error: 'slow_down' }, headers: { 'retry-after': '20' } });
    const tokens = manage({ retry: { maxRetryAfterMs: 10_000 } });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 429, retryAfterMs: 20_000 });
    clock.advance(19_999);
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 429 });
    expect(server.tokenRequests).toHaveLength(1);
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('caps the window at 30 s even when Retry-After asks for a day', async () => {
    server.script({ status: 503, body: {}, headers: { 'retry-after': '86400' } });
    const tokens = manage();
    await expect(tokens.getToken()).rejects.toMatchObject({
      status: 503,
      retryAfterMs: 86_400_000,
    });
    clock.advance(29_999);
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503 });
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(2);
  });
});

describe('refresh ahead of expiry', () => {
  // expires_in 3600 sent at T0: leeway 30 s, refresh-ahead 5 min, jitter 0.
  const expiresAt = (): number => manualClock().now() + hour;

  it('serves the cached token until the refresh-ahead window, to the millisecond', async () => {
    const tokens = manage();
    const first = await tokens.getToken();
    expect(first.expiresAt).toBe(expiresAt());
    clock.set(expiresAt() - 300_001);
    expect(await tokens.getToken()).toBe(first);
    await ticks(10);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('in the stale window serves the cached token at once while exactly one background refresh runs', async () => {
    const changes: Token[] = [];
    const tokens = manage({ onTokenChange: (token) => void changes.push(token) });
    const first = await tokens.getToken();
    const release = server.holdTokens();
    clock.set(expiresAt() - 300_000);
    for (let i = 0; i < 20; i++) {
      const served = tokens.getToken();
      expect(await settlesWithoutIo(served)).toBe(true);
      expect(await served).toBe(first);
    }
    await server.tokenRequestsReached(2);
    await ticks(10);
    expect(server.tokenRequests).toHaveLength(2);
    release();
    await until(async () => (await tokens.getToken()) !== first);
    expect(changes).toHaveLength(2);
    const second = await tokens.getToken();
    expect(second.accessToken).toBe(server.issued[1]);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('delays the start of the window by the jitter', async () => {
    // random 0.5: 0.5 × 25 % × (300 s − 30 s) = 33.75 s later.
    const tokens = manage({ random: () => 0.5 });
    const first = await tokens.getToken();
    clock.set(expiresAt() - 266_251);
    expect(await tokens.getToken()).toBe(first);
    await ticks(10);
    expect(server.tokenRequests).toHaveLength(1);
    clock.set(expiresAt() - 266_250);
    expect(await tokens.getToken()).toBe(first);
    await server.tokenRequestsReached(2);
  });

  it('never hands out a token inside the leeway: callers wait for a new one', async () => {
    const tokens = manage({ refreshAheadMs: 30_000 }); // no stale window: straight from fresh to expired
    const first = await tokens.getToken();
    clock.set(expiresAt() - 30_001);
    expect(await tokens.getToken()).toBe(first);
    await ticks(10);
    expect(server.tokenRequests).toHaveLength(1);
    const release = server.holdTokens();
    clock.set(expiresAt() - 30_000);
    const waiting = tokens.getToken();
    expect(await isPending(waiting)).toBe(true);
    release();
    expect((await waiting).accessToken).toBe(server.issued[1]);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('keeps serving a valid token when the background refresh fails, reports it once, and waits out the backoff', async () => {
    const onError = vi.fn();
    const tokens = manage({ onError, retry: false });
    const first = await tokens.getToken();
    server.script({ status: 503, body: { error: 'temporarily_unavailable' } });
    clock.set(expiresAt() - 300_000);
    expect(await tokens.getToken()).toBe(first);
    await until(() => onError.mock.calls.length > 0);
    const reported: unknown = onError.mock.calls[0]?.[0];
    expect(reported).toBeInstanceOf(TokenEndpointError);
    expect(reported).toMatchObject({ status: 503 });

    // Inside the failure window (1 s from the failure): served, no new request, no new report.
    for (const at of [expiresAt() - 300_000, expiresAt() - 299_001]) {
      clock.set(at);
      for (let i = 0; i < 5; i++) expect(await tokens.getToken()).toBe(first);
    }
    await ticks(10);
    expect(server.tokenRequests).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(1);

    // At the end of the window the next call starts one more background refresh, which succeeds.
    clock.set(expiresAt() - 299_000);
    expect(await tokens.getToken()).toBe(first);
    await server.tokenRequestsReached(3);
    await until(async () => (await tokens.getToken()) !== first);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[1]);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('makes one attempt in the background, whatever the retry policy (no sleeping timers)', async () => {
    const onError = vi.fn();
    const tokens = manage({ onError });
    const first = await tokens.getToken();
    server.script({ status: 503, body: {} }, { status: 503, body: {} });
    clock.set(expiresAt() - 300_000);
    expect(await tokens.getToken()).toBe(first);
    await until(() => onError.mock.calls.length > 0);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('once expired, answers the last background error inside the window, and asks again after it', async () => {
    const onError = vi.fn();
    const tokens = manage({ onError, retry: false });
    await tokens.getToken();
    server.script({ status: 503, body: { error: 'temporarily_unavailable' } });
    clock.set(expiresAt() - 30_500); // stale; the failure window ends at expiresAt - 29_500
    await tokens.getToken();
    await until(() => onError.mock.calls.length > 0);
    const reported: unknown = onError.mock.calls[0]?.[0];

    clock.set(expiresAt() - 30_000); // expired
    await expect(tokens.getToken()).rejects.toBe(reported);
    clock.set(expiresAt() - 29_501);
    await expect(tokens.getToken()).rejects.toBe(reported);
    expect(server.tokenRequests).toHaveLength(2);

    clock.set(expiresAt() - 29_500);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[1]);
    expect(server.tokenRequests).toHaveLength(3);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('2 s tokens under steady traffic (real clock, real server)', () => {
  it('never makes a caller wait after the first, and the API never answers 401', async () => {
    // The API refuses a token 3,600 s after its issue on the mock's clock: with that clock 1,800
    // times faster than the real one, every token dies 2 s after its issue, as its answer says.
    const started = Date.now();
    server = await startServer({ now: () => started + (Date.now() - started) * 1_800 });
    server.expiresIn = 2;
    const tokens = manage({ now: Date.now, random: Math.random });
    const call = (accessToken: string) =>
      fetch(server.url('/data'), { headers: { Authorization: `Bearer ${accessToken}` } });
    let waited = 0;
    const statuses: number[] = [];
    const start = performance.now();
    while (performance.now() - start < 3_200) {
      const pending = tokens.getToken();
      if (!(await settlesWithoutIo(pending))) waited++;
      const response = await call((await pending).accessToken);
      await response.arrayBuffer();
      statuses.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(waited).toBe(1);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect((await call(server.issued[0] ?? '')).status).toBe(401); // the first, 3.2 s old, died
    expect(statuses.length).toBeGreaterThan(50);
    // Issued at 0 s, renewed in the background from 1.0–1.2 s of each token's life.
    expect(server.tokenRequests.length).toBeGreaterThanOrEqual(3);
    expect(server.tokenRequests.length).toBeLessThanOrEqual(4);
  }, 10_000);
});

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
    server = await startServer({ refreshTokens: 'omit' });
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

describe('invalid_grant on refresh', () => {
  it('refreshToken flow: ERR_REAUTHORIZATION_REQUIRED, refresh token cleared, no further requests', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const tokens = manage({ flow: await rtFlow(), store });
    const first = await tokens.getToken();
    const key = await tokens.cacheKey();
    expect((await store.get(key))?.refreshToken).toBeDefined();
    server.script({ status: 400, body: { error: 'invalid_grant', error_description: 'revoked' } });

    const error = await tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect((error as ReauthorizationRequiredError).cause).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
      status: 400,
      error: 'invalid_grant',
    });
    expect((error as Error).message).toMatch(/re-authorization is required/);
    // The refresh token is gone from the store; the access token is still valid, so it stays.
    const kept = await store.get(key);
    expect(kept?.accessToken).toBe(first.accessToken);
    expect(kept?.refreshToken).toBeUndefined();
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken);

    clock.advance(3_600_000); // past expiry: nothing left to renew with
    for (const step of [0, 1_000, 2_000, 4_000]) {
      clock.advance(step);
      await expect(tokens.getToken()).rejects.toMatchObject({
        code: 'ERR_REAUTHORIZATION_REQUIRED',
      });
    }
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a failing background refresh with invalid_grant keeps serving the valid access token', async () => {
    const onError = vi.fn();
    const tokens = manage({ flow: await rtFlow(), refreshAheadMs: 600_000, onError });
    const first = await tokens.getToken();
    server.script({ status: 400, body: { error: 'invalid_grant' } });
    clock.advance(3_000_000); // stale: inside the refresh-ahead window, well before expiry
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken); // starts the refresh
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken);
    clock.advance(600_000);
    await expect(tokens.getToken()).rejects.toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('authorizationCode flow: the code is exchanged once, then invalid_grant needs re-authorization', async () => {
    const redirectUri = 'https://app.example/callback';
    await server.acceptCode('code-9d2', { redirectUri });
    const store = new MemoryTokenStore({ now: clock.now });
    const tokens = manage({
      store,
      flow: authorizationCode({
        tokenUrl: server.tokenUrl,
        clientId,
        clientSecret,
        code: 'code-9d2',
        redirectUri,
      }),
    });
    const first = await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(grants()).toEqual(['authorization_code', 'refresh_token']);
    expect(server.tokenRequests[0]?.params).toMatchObject({
      code: 'code-9d2',
      redirect_uri: 'https://app.example/callback',
    });
    expect(server.tokenRequests[1]?.params.refresh_token).toBe(first.refreshToken);

    server.script({ status: 400, body: { error: 'invalid_grant' } });
    await expect(tokens.getToken({ forceRefresh: true })).rejects.toMatchObject({
      name: 'ReauthorizationRequiredError',
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect((await store.get(await tokens.cacheKey()))?.refreshToken).toBeUndefined();
    clock.advance(3_600_000);
    await expect(tokens.getToken()).rejects.toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('clientCredentials flow: invalid_grant is an ordinary endpoint error, asked again after the window', async () => {
    server.script({ status: 400, body: { error: 'invalid_grant' } });
    const tokens = manage();
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT' });
    clock.advance(1_000);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(2);
  });
});

describe('token endpoint', () => {
  it('times out each attempt (ERR_TOKEN_TIMEOUT) and retries a timed-out attempt', async () => {
    server.script({ delayMs: 5_000 });
    const once = manage({ timeoutMs: 50, retry: false });
    const error = await once.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect(server.tokenRequests).toHaveLength(1);

    server.script({ delayMs: 5_000 });
    const retrying = manage({ timeoutMs: 50, retry: { limit: 1, baseDelayMs: 1 } });
    expect((await retrying.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('retries a refused connection with backoff, then fails with ERR_TOKEN_NETWORK', async () => {
    const tokenUrl = await closedPortUrl();
    const fetchSpy = vi.fn(globalThis.fetch);
    const tokens = manage({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      fetch: fetchSpy,
      retry: { limit: 2, baseDelayMs: 1 },
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
  });

  it('retries 5xx and 429, and not 400 or 401', async () => {
    server.script(
      { status: 500, body: { error: 'server_error' } },
      { status: 429, body: {}, headers: { 'retry-after': '0' } },
      { status: 502, body: '<html>bad gateway</html>' },
    );
    const retrying = manage({ retry: { limit: 3, baseDelayMs: 1 } });
    expect((await retrying.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(4);

    for (const status of [400, 401]) {
      const before = server.tokenRequests.length;
      server.script({ status, body: { error: 'invalid_client' } });
      const tokens = manage({ retry: { limit: 3, baseDelayMs: 1 } });
      await expect(tokens.getToken()).rejects.toMatchObject({ status });
      expect(server.tokenRequests).toHaveLength(before + 1);
    }
  });

  it('does not wait for a Retry-After above maxRetryAfterMs', async () => {
    server.script({ status: 503, body: {}, headers: { 'retry-after': '2' } });
    const tokens = manage({ retry: { limit: 3, baseDelayMs: 1, maxRetryAfterMs: 1_999 } });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503, retryAfterMs: 2_000 });
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('caps the answer at 1 MiB (declared and chunked), without retrying', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    server.script(
      {
        write: (res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length });
          res.end(big);
        },
      },
      {
        write: (res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          for (let i = 0; i < 17; i++) res.write('y'.repeat(64 * 1024));
          res.end();
        },
      },
    );
    const tokens = manage({ retry: { limit: 3, baseDelayMs: 1 }, failureBackoffMs: 0 });
    for (let i = 0; i < 2; i++) {
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenResponseError);
      expect((error as Error).message).toMatch(/1048576-byte limit/);
    }
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('forceRefresh ignores a fresh cached token; concurrent forced calls share one request', async () => {
    const tokens = manage();
    const a = await tokens.getToken();
    const forced = await Promise.all(
      Array.from({ length: 10 }, () => tokens.getToken({ forceRefresh: true })),
    );
    expect(server.tokenRequests).toHaveLength(2);
    expect(new Set(forced).size).toBe(1);
    expect(forced[0]?.accessToken).not.toBe(a.accessToken);
    expect(await tokens.getToken()).toBe(forced[0]);
  });

  it('an aborted waiter stops waiting; the shared request goes on for the others', async () => {
    const tokens = manage();
    const release = server.holdTokens();
    const controller = new AbortController();
    const mine = tokens.getToken({ signal: controller.signal });
    const others = [tokens.getToken(), tokens.getToken({ signal: new AbortController().signal })];
    await server.tokenRequestsReached(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(mine).rejects.toBe(reason);
    release();
    const [x, y] = await Promise.all(others);
    expect(x).toBe(y);
    expect(x?.accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);

    const aborted = AbortSignal.abort(reason);
    await expect(tokens.getToken({ signal: aborted, forceRefresh: true })).rejects.toBe(reason);
    expect(server.tokenRequests).toHaveLength(1);
  });
});

describe('close', () => {
  it('aborts the request in flight; later calls reject with ERR_MANAGER_CLOSED', async () => {
    const tokens = manage();
    server.holdTokens();
    const pending = tokens.getToken();
    await server.tokenRequestsReached(1);
    await tokens.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'ManagerClosedError',
      code: 'ERR_MANAGER_CLOSED',
    });
    await tokens.close(); // idempotent
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('aborts a retry backoff sleep', async () => {
    const tokenUrl = await closedPortUrl();
    const fetchSpy = vi.fn(globalThis.fetch);
    const sleeping = manage({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      fetch: fetchSpy,
      retry: { limit: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const pending = sleeping.getToken();
    await until(() => fetchSpy.mock.calls.length === 1);
    await ticks(5);
    await sleeping.close(); // resolves only once the shared request has settled
    await expect(pending).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('does not report the aborted background refresh to onError', async () => {
    const onError = vi.fn();
    const tokens = manage({ onError });
    await tokens.getToken();
    server.holdTokens();
    clock.advance(hour - 300_000);
    await tokens.getToken(); // stale: starts a background refresh
    await server.tokenRequestsReached(2);
    await tokens.close();
    await ticks(5);
    expect(onError).not.toHaveBeenCalled();
  });

  it('lets a process with a manager exit by itself', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const dist = new URL('../dist/index.js', import.meta.url);
    // dist when built (the published code); the sources otherwise (Node strips the types).
    const entry = existsSync(dist) ? dist : new URL('./index.ts', import.meta.url);
    const dead = await closedPortUrl();
    server.expiresIn = 2;
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const [tokenUrl, deadUrl, clientId, clientSecret] = process.argv.slice(1);
      const flow = clientCredentials({ tokenUrl, clientId, clientSecret });
      // A 2 s token: the second call, 1.5 s into its life, starts a background refresh.
      let clock = Date.now();
      const tokens = createTokenManager({ flow, now: () => clock });
      const first = await tokens.getToken();
      clock += 1_500;
      const second = await tokens.getToken();
      // A failed request leaves a failure window; a refused connection, one short retry.
      const dead = createTokenManager({
        flow: clientCredentials({ tokenUrl: deadUrl, clientId, clientSecret }),
        retry: { limit: 1, baseDelayMs: 50 },
      });
      const failed = await dead.getToken().then(() => 'no error', (error) => error.code);
      console.log([first === second, failed].join(' '));
    `;
    const { code, signal, stdout, stderr } = await runScript(
      script,
      [server.tokenUrl, dead, clientId, clientSecret],
      { cwd: here, killAfterMs: 8_000 },
    );
    expect({ code, signal, stdout }, stderr).toEqual({
      code: 0,
      signal: null,
      stdout: 'true ERR_TOKEN_NETWORK',
    });
    expect(server.tokenRequests).toHaveLength(2); // the background refresh ran
  }, 10_000);
});

describe('token URL and option validation', () => {
  it.each([
    'http://127.0.0.1:1/token',
    'http://127.9.8.7/token',
    'http://localhost:8080/token',
    'http://auth.localhost/token',
    'http://[::1]:8080/token',
    'https://auth.example.com/token',
  ])('accepts %s', (tokenUrl) => {
    expect(() =>
      createTokenManager({ flow: clientCredentials({ tokenUrl, clientId, clientSecret }) }),
    ).not.toThrow();
  });

  it.each([
    'http://auth.example.com/token',
    'http://127.0.0.1.nip.io/token',
    'http://localhost.example.com/token',
    'http://10.0.0.1/token',
  ])('rejects %s unless allowInsecureHttp', (tokenUrl) => {
    const flow = clientCredentials({ tokenUrl, clientId, clientSecret });
    expect(() => createTokenManager({ flow })).toThrow(TypeError);
    expect(() => createTokenManager({ flow })).toThrow(/https:.*allowInsecureHttp/);
    expect(() => createTokenManager({ flow, allowInsecureHttp: true })).not.toThrow();
  });

  const invalid: [string, Record<string, unknown>, typeof TypeError | typeof RangeError][] = [
    ['timeoutMs', { timeoutMs: 0 }, RangeError],
    ['timeoutMs', { timeoutMs: 300_001 }, RangeError],
    ['timeoutMs', { timeoutMs: Number.NaN }, RangeError],
    ['timeoutMs', { timeoutMs: '5000' }, TypeError],
    ['retry', { retry: -1 }, RangeError],
    ['retry', { retry: 1.5 }, RangeError],
    ['retry', { retry: 'twice' }, TypeError],
    ['retry.limit', { retry: { limit: 11 } }, RangeError],
    ['retry.baseDelayMs', { retry: { baseDelayMs: -1 } }, RangeError],
    ['retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: 3_600_001 } }, RangeError],
    ['leewayMs', { leewayMs: -1 }, RangeError],
    ['refreshAheadMs', { refreshAheadMs: 86_400_001 }, RangeError],
    ['defaultLifetimeMs', { defaultLifetimeMs: 0 }, RangeError],
    ['failureBackoffMs', { failureBackoffMs: 30_001 }, RangeError],
    ['lockTtlMs', { lockTtlMs: 99 }, RangeError],
    ['now', { now: 0 }, TypeError],
    ['random', { random: 'x' }, TypeError],
    ['fetch', { fetch: {} }, TypeError],
    ['onTokenChange', { onTokenChange: true }, TypeError],
    ['onError', { onError: 'log' }, TypeError],
    ['cacheKey', { cacheKey: '' }, TypeError],
    ['store', { store: { get() {}, set() {} } }, TypeError],
    ['flow', { flow: { tokenUrl: 'https://x.example' } }, TypeError],
  ];
  it.each(invalid)('names %s in the error', (name, options, kind) => {
    const create = (): TokenManager =>
      createTokenManager({ flow: ccFlow(), ...options } as unknown as TokenManagerOptions);
    expect(create).toThrow(kind);
    expect(create).toThrow(new RegExp(`\\b${name.replace('.', '\\.')}\\b`));
  });

  it('accepts the bounds themselves', () => {
    expect(() =>
      createTokenManager({
        flow: ccFlow(),
        timeoutMs: 1,
        retry: { limit: 10, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
        leewayMs: 0,
        refreshAheadMs: 86_400_000,
        failureBackoffMs: 30_000,
        lockTtlMs: 100,
        defaultLifetimeMs: 1,
      }),
    ).not.toThrow();
  });
});

describe('secrets', () => {
  const extraSecrets: string[] = [];
  const secrets = (): string[] => [
    ...extraSecrets,
    clientSecret,
    'wrong-secret-51c9',
    'refresh-start',
    'refresh-revoked-77',
    'access-leak-3e1',
    ...server.issued,
  ];

  function expectNoSecret(value: unknown): void {
    for (const text of renderings(value)) {
      for (const secret of secrets()) expect(text).not.toContain(secret);
    }
  }

  it('keeps them out of every error, token and manager rendering', async () => {
    const errors: unknown[] = [];
    const collect = async (promise: Promise<unknown>): Promise<void> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      errors.push(error);
    };
    const cc = (options: Partial<TokenManagerOptions> = {}, secret = clientSecret): TokenManager =>
      manage({
        flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret: secret }),
        retry: false,
        ...options,
      });

    // 401 invalid_client for a wrong secret (client_secret_post).
    await collect(cc({}, 'wrong-secret-51c9').getToken());
    // invalid_grant for a refresh token, twice (the second without a request).
    const revoked = manage({
      flow: refreshToken({
        tokenUrl: server.tokenUrl,
        clientId,
        clientSecret,
        refreshToken: 'refresh-revoked-77',
      }),
      failureBackoffMs: 0,
    });
    await collect(revoked.getToken());
    await collect(revoked.getToken());
    // 2xx answers that are not tokens; one with an access token and a bad expiry.
    server.script(
      { body: '<html>login</html>' },
      { body: { token: 'access-leak-3e1' } },
      { body: { error: 'invalid_request', access_token: undefined } },
      { body: { access_token: 'access-leak-3e1', expires_in: 'soon' } },
      { body: { access_token: 'access-leak-3e1', expires_in: 0 } },
      { body: { access_token: 'access-leak-3e1', token_type: 42 } },
      { body: `{"access_token":"access-leak-3e1","pad":"${'z'.repeat(1024 * 1024)}"}` },
      { status: 500, body: { error: 'server_error', error_description: 'boom' } },
    );
    const responses = cc({ failureBackoffMs: 0 });
    for (let i = 0; i < 8; i++) await collect(responses.getToken());
    // Network failure and timeout, with the secret in the request body.
    const dead = manage({
      flow: clientCredentials({ tokenUrl: await closedPortUrl(), clientId, clientSecret }),
      retry: false,
    });
    await collect(dead.getToken());
    server.script({ delayMs: 2_000 });
    await collect(cc({ timeoutMs: 20 }).getToken());
    // onTokenChange failing with the token in hand.
    const handler = cc({
      flow: await rtFlow(),
      onTokenChange: (token) => {
        throw new Error(`could not save (${token.tokenType})`);
      },
    });
    await collect(handler.getToken());
    const token = await handler.getToken();
    extraSecrets.push(token.refreshToken ?? 'refresh-token-missing');
    // A closed manager.
    const closed = cc();
    await closed.close();
    await collect(closed.getToken());

    expect(errors).toHaveLength(15);
    expect(new Set(errors.map((e) => (e as TokenwiseError).code))).toEqual(new Set(errorCodes));
    for (const error of errors) expectNoSecret(error);
    expect(server.issued.length).toBeGreaterThan(0);
    expect(inspect(token)).not.toContain(token.accessToken);
    expect(inspect(token)).not.toContain(token.refreshToken);
    expectNoSecret(inspect(token));
    expectNoSecret(inspect(handler, { showHidden: true }));
    expect(inspect(handler)).toContain('refresh_token');
  });
});

describe('cache key', () => {
  it('is derived, stable, free of secrets and distinct per client, scope and audience', async () => {
    const key = (flow: Flow): Promise<string> => manage({ flow }).cacheKey();
    const base = await key(ccFlow({ scope: 'read' }));
    expect(base).toMatch(/^tokenwise:client_credentials:[0-9a-f]{32}$/);
    expect(base).not.toContain(clientSecret);
    expect(await key(ccFlow({ scope: 'read' }))).toBe(base);
    const others = await Promise.all([
      key(ccFlow({ scope: 'write' })),
      key(ccFlow({ scope: 'read', audience: 'api' })),
      key(ccFlow({ scope: 'read', clientId: 'other-client' })),
      key(
        clientCredentials({
          tokenUrl: `${server.origin}/other`,
          clientId,
          clientSecret,
          scope: 'read',
        }),
      ),
    ]);
    expect(new Set([base, ...others]).size).toBe(5);

    const refreshKey = await key(await rtFlow('refresh-secret-a'));
    expect(refreshKey).toMatch(/^tokenwise:refresh_token:[0-9a-f]{32}$/);
    expect(refreshKey).not.toContain('refresh-secret-a');
    expect(await key(await rtFlow('refresh-secret-b'))).not.toBe(refreshKey);
  });

  it('honours an explicit cacheKey', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const set = vi.spyOn(store, 'set');
    const tokens = manage({ store, cacheKey: 'tenant-42' });
    expect(await tokens.cacheKey()).toBe('tenant-42');
    const token = await tokens.getToken();
    expect(set.mock.calls.map(([key]) => key)).toEqual(['tenant-42']);
    expect(await store.get('tenant-42')).toBe(token);
  });

  it('lets two managers sharing a MemoryTokenStore share the token, and keeps other keys apart', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const one = manage({ store });
    const two = manage({ store });
    const a = await one.getToken();
    const b = await two.getToken();
    expect(b.accessToken).toBe(a.accessToken);
    expect(server.tokenRequests).toHaveLength(1);
    const scoped = manage({ store, flow: ccFlow({ scope: 'admin' }) });
    expect((await scoped.getToken()).accessToken).not.toBe(a.accessToken);
    expect(server.tokenRequests).toHaveLength(2);
  });
});

/** An in-memory store with a lock, and a way to hold the lock "in another process". */
class LockingStore implements TokenStore {
  readonly #inner: MemoryTokenStore;
  readonly #now: () => number;
  #holder: { id: number; until: number } | undefined;
  #ids = 0;
  lockCalls = 0;
  releases = 0;
  /** A lock that never frees (a broken store). */
  stuck = false;

  constructor(now: () => number) {
    this.#now = now;
    this.#inner = new MemoryTokenStore({ now });
  }
  get(key: string): Promise<Token | undefined> {
    return this.#inner.get(key);
  }
  set(key: string, token: Token, ttlMs?: number): Promise<void> {
    return this.#inner.set(key, token, ttlMs);
  }
  delete(key: string): Promise<void> {
    return this.#inner.delete(key);
  }
  get held(): boolean {
    return this.#holder !== undefined && this.#now() < this.#holder.until;
  }
  holdElsewhere(ttlMs: number): void {
    this.#holder = { id: ++this.#ids, until: this.#now() + ttlMs };
  }
  async lock(_key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    this.lockCalls++;
    if (this.stuck || this.held) return undefined;
    const mine = { id: ++this.#ids, until: this.#now() + ttlMs };
    this.#holder = mine;
    return async () => {
      this.releases++;
      if (this.#holder === mine) this.#holder = undefined;
    };
  }
}

describe('store with a lock', () => {
  const elsewhere = (): Token => ({
    accessToken: 'from-another-process',
    tokenType: 'Bearer',
    expiresAt: clock.now() + hour,
    issuedAt: clock.now(),
    raw: {},
  });

  it('waits for the lock holder’s stored result instead of fetching', async () => {
    const store = new LockingStore(clock.now);
    store.holdElsewhere(30_000);
    const tokens = manage({ store });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 3);
    expect(await isPending(pending)).toBe(true);
    await store.set(await tokens.cacheKey(), elsewhere());
    expect((await pending).accessToken).toBe('from-another-process');
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('fetches itself once the lock of a holder that never writes expires (lock TTL)', async () => {
    const store = new LockingStore(clock.now);
    store.holdElsewhere(1_000);
    const tokens = manage({ store, lockTtlMs: 1_000 });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 2);
    clock.advance(999);
    const calls = store.lockCalls;
    await until(() => store.lockCalls >= calls + 2);
    expect(await isPending(pending)).toBe(true);
    expect(server.tokenRequests).toHaveLength(0);
    clock.advance(1);
    expect((await pending).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });

  it('fetches anyway after two lock lifetimes when the lock never frees', async () => {
    const store = new LockingStore(clock.now);
    store.stuck = true;
    const tokens = manage({ store, lockTtlMs: 1_000 });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 2);
    clock.advance(2_000);
    const calls = store.lockCalls;
    await until(() => store.lockCalls >= calls + 2);
    expect(await isPending(pending)).toBe(true);
    clock.advance(1);
    expect((await pending).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('makes one token request for two cold managers sharing the store, and releases the lock', async () => {
    const store = new LockingStore(clock.now);
    const one = manage({ store });
    const two = manage({ store });
    const [a, b] = await Promise.all([one.getToken(), two.getToken()]);
    expect(b?.accessToken).toBe(a?.accessToken);
    expect(server.tokenRequests).toHaveLength(1);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });

  it('releases the lock when the token request fails', async () => {
    const store = new LockingStore(clock.now);
    server.script({ status: 400, body: { error: 'invalid_client' } });
    const tokens = manage({ store });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });
});

describe('a failing store', () => {
  const broken = (): TokenStore => ({
    get: async () => {
      throw new Error('store get: connection lost');
    },
    set: async () => {
      throw new Error('store set: connection lost');
    },
    delete: async () => {
      throw new Error('store delete: connection lost');
    },
  });

  it('never fails a request: reads miss, the token lives in memory, errors go to onError', async () => {
    const onError = vi.fn();
    const tokens = manage({ store: broken(), onError });
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set([server.issued[0]]));
    expect(server.tokenRequests).toHaveLength(1);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(await tokens.invalidate(server.issued[0] ?? '')).toBe(true);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[1]);
    const messages = onError.mock.calls.map(([error]) => (error as Error).message);
    expect(messages).toContain('store get: connection lost');
    expect(messages).toContain('store set: connection lost');
  });

  it('fetches without the lock when taking it fails', async () => {
    const onError = vi.fn();
    const inner = new MemoryTokenStore({ now: clock.now });
    const store: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
      delete: (key) => inner.delete(key),
      lock: async () => {
        throw new Error('store lock: connection lost');
      },
    };
    const tokens = manage({ store, onError });
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toContain(
      'store lock: connection lost',
    );
  });
});
