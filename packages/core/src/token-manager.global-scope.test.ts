import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import { createTokenManager } from './token-manager.ts';

const flow = clientCredentials({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'app',
  clientSecret: 'secret',
});

afterEach(() => vi.restoreAllMocks());

// Cloudflare Workers refuse an AbortController, a timer, random values and a digest in global
// scope, where a manager is naturally created (the workerd run is in examples/runtimes).
describe('creating a manager starts no I/O', () => {
  it('makes no AbortController, timer, random value or digest', () => {
    const made = vi.spyOn(globalThis, 'AbortController');
    const timer = vi.spyOn(globalThis, 'setTimeout');
    const random = vi.spyOn(Math, 'random');
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const tokens = createTokenManager({ flow });
    expect({
      controllers: made.mock.calls.length,
      timers: timer.mock.calls.length,
      random: random.mock.calls.length,
      digests: digest.mock.calls.length,
    }).toEqual({ controllers: 0, timers: 0, random: 0, digests: 0 });
    expect(tokens).toBeDefined();
  });

  it('works out the cache key on first use', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const tokens = createTokenManager({ flow });
    expect(await tokens.cacheKey()).toMatch(/^tokenwise:client_credentials:[0-9a-f]{32}$/);
    expect(digest).toHaveBeenCalledTimes(1);
  });
});

describe('a renewal that never settles', () => {
  it('is abandoned after its deadline: the next caller starts a new token request', async () => {
    const fetches: string[] = [];
    const errors: unknown[] = [];
    let answer = false;
    const tokens = createTokenManager({
      flow,
      timeoutMs: 50,
      storeTimeoutMs: 10,
      retry: false,
      onError: (error) => errors.push(error),
      // The first request's promise never settles, as on Workers when its request has ended.
      fetch: async () => {
        fetches.push('sent');
        if (!answer) {
          answer = true;
          return new Promise<Response>(() => {});
        }
        return Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 3600 });
      },
    });
    // Workers also drop the timers of a request that has ended: the first attempt's timeout
    // (50 ms) never fires either, so nothing but the renewal's deadline ends the wait.
    const startTimer = globalThis.setTimeout;
    let attemptTimeoutDropped = false;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      if (ms !== 50 || attemptTimeoutDropped) return startTimer(callback, ms);
      attemptTimeoutDropped = true;
      return startTimer(() => {}, ms);
    }) as typeof setTimeout);
    const started = performance.now();
    const token = await tokens.getToken();
    expect(token.accessToken).toBe('fresh');
    expect(fetches).toHaveLength(2);
    // Its deadline: one attempt (50 ms) + six store operations (10 ms) + 1 s.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/abandoned/);
    await tokens.close();
  });
});
