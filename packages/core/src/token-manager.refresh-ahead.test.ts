/**
 * Refreshing ahead of expiry: the cached token is served until the refresh-ahead window, then
 * renewed in the background by one request, and never handed out inside the leeway.
 */
import { describe, expect, it, vi } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { isPending, manualClock, settlesWithoutIo, ticks, until } from './test-support/async.ts';
import {
  clock,
  hour,
  manage,
  replaceServer,
  server,
  useManagerFixture,
} from './test-support/manager-fixture.ts';
import type { Token } from './token.ts';

useManagerFixture();

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
    await replaceServer({ now: () => started + (Date.now() - started) * 1_800 });
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
