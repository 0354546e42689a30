/** createAuthFetch's `fetch` option: checked, used, and given every init member but skipAuth. */
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { useAuthFetchApi } from './test-support/auth-fetch-api.ts';

const api = useAuthFetchApi();

describe('createAuthFetch options', () => {
  it('throws a TypeError when fetch is not a function', () => {
    expect(() =>
      createAuthFetch({ tokens: api.tokens, fetch: 'fetch' as unknown as typeof fetch }),
    ).toThrow(/fetch must be a function/);
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const fetch = api.authFetch({
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return globalThis.fetch(input, init);
      },
    });
    await fetch(api.server.url('/members'));
    expect(seen).toEqual([api.server.url('/members')]);
  });

  it('passes runtime-specific init members (such as Bun proxy) to every send, but not skipAuth', async () => {
    const extras: unknown[] = [];
    api.server.apiAlways401 = true;
    const fetch = api.authFetch({
      fetch: (input, init) => {
        extras.push(init);
        return globalThis.fetch(input);
      },
    });
    const proxy = 'http://proxy.invalid:3128';
    await fetch(api.server.url('/members'), { proxy, skipAuth: false } as RequestInit);
    expect(extras).toHaveLength(2);
    for (const init of extras) {
      expect(init).toMatchObject({ proxy });
      expect(init).not.toHaveProperty('skipAuth');
    }
  });
});
