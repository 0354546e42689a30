/**
 * Resource hygiene of the token manager: 10,000 managers created, used and closed (idle, with a
 * request in flight, asleep between retries, waiting for another process's lock, refreshing in
 * the background) leave no timer and no abort listener behind: checked with
 * `process.getActiveResourcesInfo()`, a count of the timers core's own code creates, and the
 * abort listeners left on signals that can still fire (a caller's long-lived signal among them).
 *
 * (That a process using a manager exits by itself is tested in token-manager.close.test.ts, and for
 * every adapter in packages/testing.)
 */
import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import { deferred, manualClock } from './test-support/async.ts';
import { createTokenManager } from './token-manager.ts';
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
