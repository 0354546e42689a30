/**
 * Without a `fetch` option, the manager and createAuthFetch look up the global `fetch` when they
 * send, never when they are created: a test's interceptor (msw) installed after a module created
 * them at import time still sees every request, and `fetch` is called as a plain function.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { createTokenManager } from './token-manager.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('the global fetch', () => {
  it('is looked up at each request: one installed after creation (as msw does) sees token and API calls', async () => {
    // Created first, as a module would at import time.
    const tokens = createTokenManager({
      flow: clientCredentials({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'client-1',
        clientSecret: 'secret-1234',
      }),
    });
    const authedFetch = createAuthFetch({ tokens, origins: ['https://api.example.com'] });

    // Then the test installs its interceptor.
    const seen: string[] = [];
    const thisValues: unknown[] = [];
    globalThis.fetch = vi.fn(async function (this: unknown, input, init) {
      thisValues.push(this);
      const url = String(input instanceof Request ? input.url : input);
      seen.push(url);
      if (url.endsWith('/token')) return Response.json({ access_token: 'at-1', expires_in: 600 });
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}));
      return new Response(headers.get('authorization'));
    }) as typeof fetch;

    const response = await authedFetch('https://api.example.com/me');
    expect(await response.text()).toBe('Bearer at-1');
    expect(seen).toEqual(['https://auth.example.com/token', 'https://api.example.com/me']);
    // Called as a plain function or on the global object, never as a method of an options object.
    for (const value of thisValues) expect([undefined, globalThis]).toContain(value);
    await tokens.close();
  });
});
