/** createAuthFetch follows same-origin redirects as fetch does, unless told `redirect: manual`. */
import { describe, expect, it } from 'vitest';
import { useAuthFetchApi } from './test-support/auth-fetch-api.ts';

const api = useAuthFetchApi();

describe('redirects', () => {
  const redirect = (to: string, status = 302): string =>
    api.server.url(`/redirect?${new URLSearchParams({ to, status: String(status) })}`);

  it('turns a POST into a GET without body on 303', async () => {
    const response = await api.authFetch()(redirect('/result', 303), {
      method: 'POST',
      body: JSON.stringify({ a: 1 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(api.lastCall()).toMatchObject({ method: 'GET', path: '/result', body: '' });
    expect(api.lastCall().headers['content-type']).toBeUndefined();
    expect(api.lastCall().headers.authorization).toBe(`Bearer ${api.server.issued[0]}`);
  });

  it('keeps method and body on 307', async () => {
    await api.authFetch()(redirect('/result', 307), { method: 'POST', body: 'payload' });
    expect(api.lastCall()).toMatchObject({ method: 'POST', path: '/result', body: 'payload' });
  });

  it('returns a 307 to the caller for a stream body, which it cannot send twice', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await api.authFetch()(redirect('/result', 307), {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(307);
    expect(api.server.apiCalls.map((call) => call.path)).toEqual(['/redirect']);
  });

  it('fails as fetch does at a Location that makes no URL, sending nothing more', async () => {
    await expect(api.authFetch()(redirect('http://[::1'))).rejects.toThrow(
      new TypeError('invalid redirect location: http://[::1'),
    );
    expect(api.server.apiCalls.map((call) => call.path)).toEqual(['/redirect']);
  });

  it('leaves redirect: manual to the caller', async () => {
    const response = await api.authFetch()(redirect('/landing'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(api.server.apiCalls).toHaveLength(1);
    expect(api.lastCall().headers.authorization).toBe(`Bearer ${api.server.issued[0]}`);
  });
});
