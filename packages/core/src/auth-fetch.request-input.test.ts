/** createAuthFetch given a Request: sent with the token, re-sent after a 401, left as it was. */
import { describe, expect, it } from 'vitest';
import { useAuthFetchApi } from './test-support/auth-fetch-api.ts';

const api = useAuthFetchApi();

describe('a Request as input', () => {
  it('sends it with the token, re-sends its body after a 401, and leaves the caller’s Request as it was', async () => {
    const fetch = api.authFetch();
    await fetch(api.server.url('/warm'));
    api.revokeCurrentToken();
    const request = new Request(api.server.url('/upload'), {
      method: 'POST',
      body: 'payload',
      headers: { 'X-Own': 'kept' },
    });
    const response = await fetch(request);
    expect(response.status).toBe(200);
    const [first, second] = api.server.apiCalls.slice(-2);
    expect([first?.body, second?.body]).toEqual(['payload', 'payload']);
    expect(second?.headers).toMatchObject({
      authorization: `Bearer ${api.server.issued[1]}`,
      'x-own': 'kept',
    });
    expect([...request.headers.keys()]).toEqual(['content-type', 'x-own']);
  });

  it('takes the headers of init over the Request’s, as fetch does', async () => {
    await api.authFetch()(
      new Request(api.server.url('/members'), { headers: { 'X-Own': 'request' } }),
      {
        headers: { 'X-Init': 'init' },
      },
    );
    expect(api.lastCall().headers['x-own']).toBeUndefined();
    expect(api.lastCall().headers['x-init']).toBe('init');
    expect(api.lastCall().headers.authorization).toBe(`Bearer ${api.server.issued[0]}`);
  });

  it('keeps method and body of a Request on 307', async () => {
    const to = api.server.url(`/redirect?${new URLSearchParams({ to: '/result', status: '307' })}`);
    await api.authFetch()(new Request(to, { method: 'POST', body: 'payload' }));
    expect(api.lastCall()).toMatchObject({ method: 'POST', path: '/result', body: 'payload' });
    expect(api.lastCall().headers.authorization).toBe(`Bearer ${api.server.issued[0]}`);
  });

  it('sends the body of a Request on every hop of a 307, again when re-sent after a 401', async () => {
    const to = api.server.url(`/redirect?${new URLSearchParams({ to: '/upload', status: '307' })}`);
    const fetch = api.authFetch();
    await fetch(api.server.url('/warm'));
    api.revokeCurrentToken();
    const response = await fetch(new Request(to, { method: 'POST', body: 'payload' }));
    expect(response.status).toBe(200);
    expect(api.server.apiCalls.slice(1).map((call) => [call.path, call.body])).toEqual([
      ['/redirect', 'payload'],
      ['/upload', 'payload'],
      ['/redirect', 'payload'],
      ['/upload', 'payload'],
    ]);
  });
});
