/**
 * Resource hygiene of the token manager:
 * - 10,000 managers created, used and closed (idle, with a request in flight, asleep between
 *   retries, waiting for another process's lock, refreshing in the background) leave no timer
 *   and no abort listener behind: checked with `process.getActiveResourcesInfo()`, a count of
 *   the timers core's own code creates, and the abort listeners left on signals that can still
 *   fire (a caller's long-lived signal among them).
 * - Callers that abort while a refresh is under way (all of them, or while the manager sleeps
 *   between retries, or through createAuthFetch) leave the manager usable: the refresh goes on,
 *   its token is cached, and the next call is served without another token request.
 *
 * (That a process using a manager exits by itself is tested in token-manager.test.ts, and for
 * every adapter in packages/testing.)
 */
import { getEventListeners } from 'node:events';
import { clientId, clientSecret, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { deferred, isPending, manualClock, until } from './test-support/async.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';
import type { TokenStore } from './token-store.ts';

const tokenUrl = 'https://auth.example.com/token';
const flow = () => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' });
const tokenAnswer = (expiresIn = 3600): Response =>
  Response.json({ access_token: `t-${Math.random()}`, expires_in: expiresIn });

/** A fetch that never answers, until its request is aborted (like fetch, at once if it already is). */
const heldFetch: typeof globalThis.fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** Counts timers created by core's own code (not tests, not test support) and not yet done. */
function trackCoreTimers(): { pending(): string[]; restore(): void } {
  const original = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  const pending = new Map<unknown, string>();
  const fromCore = (stack: string): boolean =>
    stack
      .split('\n')
      .slice(2)
      .some((line) => /packages\/core\/src\/(?!test-support\/)[^:]*(?<!\.test)\.ts:/.test(line));
  globalThis.setTimeout = ((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const stack = new Error().stack ?? '';
    if (!fromCore(stack)) return original.setTimeout(callback, ms, ...args);
    const timer = original.setTimeout(
      (...a: unknown[]) => {
        pending.delete(timer);
        callback(...a);
      },
      ms,
      ...args,
    );
    pending.set(timer, stack.split('\n').slice(2, 5).join(' | '));
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    original.clearTimeout(timer);
  }) as typeof clearTimeout;
  return {
    pending: () => [...pending.values()],
    restore: () => Object.assign(globalThis, original),
  };
}

/** Records every AbortSignal that gets an 'abort' listener, to count what is left on them. */
function trackAbortListeners(): { leftOnLiveSignals(): number; restore(): void } {
  const proto = EventTarget.prototype;
  const original = proto.addEventListener;
  const signals = new Set<AbortSignal>();
  proto.addEventListener = function (this: EventTarget, type: string, ...rest: never[]) {
    if (this instanceof AbortSignal && type === 'abort') signals.add(this);
    return original.call(this, type, ...(rest as [never, never]));
  } as typeof proto.addEventListener;
  return {
    // An aborted signal never fires again: what is left on it is garbage with it.
    leftOnLiveSignals: () =>
      [...signals]
        .filter((signal) => !signal.aborted)
        .reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0),
    restore: () => {
      proto.addEventListener = original;
    },
  };
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
}

/** A store whose lock is always held by another process that never writes a token. */
const lockedElsewhere = (): TokenStore => ({
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  lock: async () => undefined,
});

/** One manager's life, in one of five ways; it ends closed, with every call settled. */
async function life(i: number, signal: AbortSignal): Promise<void> {
  const settle = (promise: Promise<unknown>): Promise<unknown> => promise.catch((e: unknown) => e);
  switch (i % 5) {
    case 0: {
      // Idle: cold start, a 401's invalidate, a second token; then closed.
      const tokens = createTokenManager({ flow: flow(), fetch: async () => tokenAnswer() });
      const token = await tokens.getToken({ signal });
      await tokens.invalidate(token.accessToken);
      await tokens.getToken({ signal });
      await tokens.close();
      return;
    }
    case 1: {
      // Closed with a token request in flight.
      const tokens = createTokenManager({ flow: flow(), fetch: heldFetch });
      const pending = settle(tokens.getToken({ signal }));
      await tokens.close();
      expect(await pending).toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
      return;
    }
    case 2: {
      // Closed while asleep between retries (a 503, then a minute's backoff).
      const answered = deferred();
      const tokens = createTokenManager({
        flow: flow(),
        retry: { limit: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        fetch: async () => {
          answered.resolve();
          return new Response('', { status: 503 });
        },
      });
      const pending = settle(tokens.getToken({ signal }));
      await answered.promise;
      await new Promise((resolve) => setImmediate(resolve)); // into the sleep
      await tokens.close();
      expect(await pending).toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
      return;
    }
    case 3: {
      // Closed while waiting for another process's lock.
      const tokens = createTokenManager({
        flow: flow(),
        store: lockedElsewhere(),
        fetch: async () => tokenAnswer(),
      });
      const pending = settle(tokens.getToken({ signal }));
      await new Promise((resolve) => setImmediate(resolve));
      await tokens.close();
      expect(await pending).toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
      return;
    }
    default: {
      // Closed while a background refresh is in flight.
      const clock = manualClock();
      let calls = 0;
      const tokens = createTokenManager({
        flow: flow(),
        now: clock.now,
        fetch: (input, init) =>
          ++calls === 1 ? Promise.resolve(tokenAnswer(10)) : heldFetch(input, init),
      });
      const first = await tokens.getToken({ signal });
      clock.advance(8_000); // stale: served, and refreshed in the background
      expect(await tokens.getToken({ signal })).toBe(first);
      await tokens.close();
      return;
    }
  }
}

describe('10,000 managers', () => {
  test('created, used and closed, leave no timer and no abort listener behind', async () => {
    const caller = new AbortController(); // one long-lived signal, as an app would pass along
    const timersBefore = activeTimers();
    const timers = trackCoreTimers();
    const listeners = trackAbortListeners();
    try {
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(
          Array.from({ length: 500 }, (_, i) => life(batch * 500 + i, caller.signal)),
        );
      }
      expect(timers.pending(), 'timers of core still pending').toEqual([]);
      expect(listeners.leftOnLiveSignals(), 'abort listeners left on live signals').toBe(0);
      expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
      expect(activeTimers(), 'active (ref’d) timers').toBeLessThanOrEqual(timersBefore);
    } finally {
      timers.restore();
      listeners.restore();
    }
  }, 30_000);
});

describe('callers that abort mid-refresh leave the manager usable', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  const managers: TokenManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });
  const manage = (options: Partial<TokenManagerOptions> = {}) => {
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
      ...options,
    });
    managers.push(tokens);
    return tokens;
  };

  test('every waiter aborts: each gets its own reason at once, the refresh goes on and is used', async () => {
    const tokens = manage();
    const before = server.tokenRequests.length;
    const release = server.holdTokens();
    const controllers = [1, 2, 3].map(() => new AbortController());
    const waits = controllers.map((c) =>
      tokens.getToken({ signal: c.signal }).catch((e: unknown) => e),
    );
    await server.tokenRequestsReached(before + 1);
    const reasons = controllers.map((c, i) => {
      const reason = new Error(`caller ${i} gave up`);
      c.abort(reason);
      return reason;
    });
    expect(await Promise.all(waits)).toEqual(reasons);
    for (const c of controllers) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
    release();
    const token = await tokens.getToken();
    expect(token.accessToken).toBe(server.issued.at(-1));
    expect(server.tokenRequests.length - before).toBe(1);
  });

  test('a waiter aborts while the manager sleeps between retries; the retry still lands', async () => {
    const tokens = manage({ retry: { limit: 2, baseDelayMs: 40, maxDelayMs: 40 } });
    const before = server.tokenRequests.length;
    server.script({ status: 503, body: '<html>busy</html>' });
    const controller = new AbortController();
    const wait = tokens.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    await server.tokenRequestsReached(before + 1);
    controller.abort();
    expect(await wait).toBeInstanceOf(DOMException);
    await server.tokenRequestsReached(before + 2);
    await until(() => server.issued.length > 0 && server.tokenRequests.length - before === 2);
    const token = await tokens.getToken();
    expect(token.accessToken).toBe(server.issued.at(-1));
    expect(server.tokenRequests.length - before).toBe(2);
  });

  test('every waiter aborts and the refresh then fails: the failure window, then a working manager', async () => {
    const tokens = manage({ failureBackoffMs: 30, retry: false });
    const before = server.tokenRequests.length;
    const release = server.holdTokens();
    server.script({ status: 400, body: { error: 'invalid_request' } });
    const controller = new AbortController();
    const wait = tokens.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    await server.tokenRequestsReached(before + 1);
    controller.abort();
    await wait;
    release();
    // Inside the window the failure is answered at once; after it, a new request succeeds.
    await until(
      async () => (await tokens.getToken().catch((e: unknown) => e)) instanceof TokenEndpointError,
    );
    await until(
      async () =>
        !(await tokens.getToken().then(
          () => false,
          () => true,
        )),
    );
    expect(server.tokenRequests.length - before).toBe(2);
  });

  test('an authed fetch aborted while its token is fetched: AbortError, no API call, then it works', async () => {
    const tokens = manage();
    const authedFetch = createAuthFetch({ tokens });
    const before = { tokens: server.tokenRequests.length, api: server.apiCalls.length };
    const release = server.holdTokens();
    const controller = new AbortController();
    const call = authedFetch(server.url('/things'), { signal: controller.signal });
    await server.tokenRequestsReached(before.tokens + 1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await isPending(tokens.getToken())).toBe(true); // the refresh is still under way
    release();
    const response = await authedFetch(server.url('/things'));
    expect(response.status).toBe(200);
    expect(server.tokenRequests.length - before.tokens).toBe(1);
    expect(server.apiCalls.length - before.api).toBe(1);
  });
});
