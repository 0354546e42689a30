/**
 * `authorize` as every request calls it: the same authorization, at once, while the manager keeps
 * its token, and a wait for a new one bounded by the request's signal and its client's timeout.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import type { Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';

const url = 'https://api.example.com/members';
const token = (accessToken: string): Token => ({ accessToken, tokenType: 'Bearer', raw: {} });

/** A manager that hands out `current()` as it is (the same promise while it keeps its token). */
function managerOf(current: () => Promise<Token>) {
  const getToken = vi.fn<TokenManager['getToken']>(() => current());
  const tokens: TokenManager = {
    getToken,
    invalidate: async () => true,
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
    cacheKey: async () => 'key',
    withParameters: () => tokens,
  };
  return { tokens, getToken };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a token at hand', () => {
  it('gives every request the same frozen authorization, not a promise, while the manager keeps its token', async () => {
    let current = Promise.resolve(token('tok-1'));
    const { tokens } = managerOf(() => current);
    const authorizer = createAuthorizer({ tokens, headers: { 'X-Tenant-Id': 'acme' } });
    const waited = authorizer.authorize(url);
    expect(waited).toBeInstanceOf(Promise); // the token promise has not been seen settling yet
    expect(authorizer.authorize(url)).toBe(waited); // callers meanwhile share it
    const first = await waited;
    expect(authorizer.authorize(url)).toBe(first);
    expect(authorizer.authorize(url, { timeout: 1_000 })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.headers)).toBe(true);
    current = Promise.resolve(token('tok-2')); // the manager renewed its token
    const renewed = await authorizer.authorize(url);
    expect(renewed).not.toBe(first);
    expect(renewed.headers).toEqual({ 'X-Tenant-Id': 'acme', Authorization: 'Bearer tok-2' });
  });

  it('calls a header function for every request, with its own URL', async () => {
    const current = Promise.resolve(token('tok-1'));
    const headers = vi.fn((requested: URL) => ({ 'X-Path': requested.pathname }));
    const authorizer = createAuthorizer({ tokens: managerOf(() => current).tokens, headers });
    expect((await authorizer.authorize(`${url}/1`)).headers['X-Path']).toBe('/members/1');
    expect((await authorizer.authorize(`${url}/2`)).headers['X-Path']).toBe('/members/2');
    expect(headers).toHaveBeenCalledTimes(2);
  });

  it('arms no timer for a token at hand, and clears the one it armed once the token came', async () => {
    vi.useFakeTimers();
    const current = Promise.resolve(token('tok-1'));
    const authorizer = createAuthorizer({ tokens: managerOf(() => current).tokens });
    const first = authorizer.authorize(url, { timeout: 1_000 });
    expect(vi.getTimerCount()).toBe(1); // the first wait is timed
    await first;
    expect(vi.getTimerCount()).toBe(0);
    const again = authorizer.authorize(url, { timeout: 1_000 });
    expect(vi.getTimerCount()).toBe(0);
    expect(await again).toBe(await first);
  });
});

describe('waiting for a token', () => {
  const never = () => managerOf(() => new Promise<Token>(() => {}));

  it('rejects with a TimeoutError DOMException once the timeout has run out', async () => {
    vi.useFakeTimers();
    const authorizer = createAuthorizer({ tokens: never().tokens });
    const waiting = authorizer.authorize(url, { timeout: 50 });
    vi.advanceTimersByTime(49);
    const outcome = Promise.resolve(waiting).catch((error: unknown) => error);
    vi.advanceTimersByTime(1);
    expect(await outcome).toMatchObject({ name: 'TimeoutError' });
    expect(await outcome).toBeInstanceOf(DOMException);
  });

  it("rejects with the client's own timeout error, made with the timeout", async () => {
    const authorizer = createAuthorizer({ tokens: never().tokens });
    const timeoutError = vi.fn((ms: number) => new Error(`timeout of ${ms}ms exceeded`));
    await expect(authorizer.authorize(url, { timeout: 5, timeoutError })).rejects.toThrow(
      'timeout of 5ms exceeded',
    );
  });

  it.each<number | false | undefined>([undefined, false, 0, 2 ** 31])(
    'waits as long as it takes with timeout %s',
    async (timeout) => {
      vi.useFakeTimers();
      let arrive: (value: Token) => void = () => {};
      const arriving = new Promise<Token>((resolve) => {
        arrive = resolve;
      });
      const authorizer = createAuthorizer({ tokens: managerOf(() => arriving).tokens });
      const waiting = authorizer.authorize(url, { timeout });
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10 * 60_000);
      arrive(token('late'));
      expect((await waiting).headers.Authorization).toBe('Bearer late');
    },
  );

  it("rejects with an aborted signal's reason without asking the manager", async () => {
    const { tokens, getToken } = never();
    const reason = new Error('caller gave up');
    const authorizer = createAuthorizer({ tokens });
    await expect(authorizer.authorize(url, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(getToken).not.toHaveBeenCalled();
  });

  it('passes the signal to the manager, which stops the wait with its reason', async () => {
    const { tokens, getToken } = managerOf(() => Promise.resolve(token('tok-1')));
    const signal = new AbortController().signal;
    await createAuthorizer({ tokens }).authorize(url, { signal });
    expect(getToken).toHaveBeenCalledWith({ signal });
  });
});

describe('appliesTo with a base URL per request', () => {
  it("allows the request's base URL origin, not the one given at creation", () => {
    const current = Promise.resolve(token('tok-1'));
    const authorizer = createAuthorizer(
      { tokens: managerOf(() => current).tokens },
      'https://creation.example',
    );
    expect(authorizer.appliesTo('https://a.example/x', 'https://a.example/v1/')).toBe(true);
    expect(authorizer.appliesTo('https://b.example/x', 'https://a.example/v1/')).toBe(false);
    expect(authorizer.appliesTo('https://creation.example/x')).toBe(true);
    expect(authorizer.appliesTo('https://b.example/x', 'https://b.example')).toBe(true);
  });

  it('lets origins win over any base URL', () => {
    const current = Promise.resolve(token('tok-1'));
    const authorizer = createAuthorizer({
      tokens: managerOf(() => current).tokens,
      origins: ['https://a.example'],
    });
    expect(authorizer.appliesTo('https://b.example/x', 'https://b.example')).toBe(false);
    expect(authorizer.appliesTo('https://a.example/x', 'https://b.example')).toBe(true);
  });
});
