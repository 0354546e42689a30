/** createAuthFetch attaches the token and the extra headers to each request. */
import { describe, expect, it } from 'vitest';
import { useAuthFetchApi } from './test-support/auth-fetch-api.ts';

const api = useAuthFetchApi();

describe('attaching the token', () => {
  it('adds extra headers from an async function of the URL', async () => {
    const fetch = api.authFetch({
      headers: async (url) => ({ 'X-Path': url.pathname, 'X-Query': url.search }),
    });
    await fetch(api.server.url('/one?page=2'));
    expect(api.lastCall().headers).toMatchObject({ 'x-path': '/one', 'x-query': '?page=2' });
    await fetch(new URL(api.server.url('/two')));
    expect(api.lastCall().headers).toMatchObject({ 'x-path': '/two', 'x-query': '' });
  });
});
