/**
 * createAuthFetch on a 401: it renews the token and re-sends the request once, body byte for
 * byte, unless the body cannot be sent twice or re-authorization is cooling down.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { useAuthFetchApi } from './test-support/auth-fetch-api.ts';

const api = useAuthFetchApi();

describe('401', () => {
  it('renews a revoked token on the next 401 once the 30 s cool-down is over', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    api.server.apiAlways401 = true;
    const fetch = api.authFetch();
    await fetch(api.server.url('/members')); // issued[0] dropped, issued[1] refused on the re-send
    api.server.apiAlways401 = false;
    api.revokeCurrentToken();
    vi.advanceTimersByTime(29_999);
    expect((await fetch(api.server.url('/members'))).status).toBe(401);
    expect(api.server.tokenRequests).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const response = await fetch(api.server.url('/members'));
    expect(response.status).toBe(200);
    expect(api.server.tokenRequests).toHaveLength(3);
    expect(api.server.apiCalls.slice(2).map((call) => call.headers.authorization)).toEqual([
      `Bearer ${api.server.issued[1]}`,
      `Bearer ${api.server.issued[1]}`,
      `Bearer ${api.server.issued[2]}`,
    ]);
  });

  const bodies: [string, () => BodyInit, string | undefined][] = [
    [
      'a Blob',
      () => new Blob([new Uint8Array([0, 1, 2, 255])], { type: 'image/x-test' }),
      'image/x-test',
    ],
    ['an ArrayBuffer', () => new Uint8Array([9, 8, 7, 0, 255]).buffer, undefined],
    [
      'FormData',
      () => {
        const form = new FormData();
        form.set('field', 'value');
        form.set('file', new Blob(['file body']), 'f.txt');
        return form;
      },
      'multipart/form-data',
    ],
  ];
  it.each(bodies)('re-sends %s body byte for byte', async (_, body, type) => {
    const fetch = api.authFetch();
    await fetch(api.server.url('/warm'));
    api.revokeCurrentToken();
    const response = await fetch(api.server.url('/upload'), { method: 'PUT', body: body() });
    expect(response.status).toBe(200);
    const [first, second] = api.server.apiCalls.slice(-2);
    expect(first?.method).toBe('PUT');
    expect(second?.method).toBe('PUT');
    expect(first?.bytes.length).toBeGreaterThan(0);
    expect(second?.bytes.equals(first?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    if (type) expect(first?.headers['content-type']).toContain(type);
    expect(second?.headers.authorization).toBe(`Bearer ${api.server.issued[1]}`);
  });

  it.each([
    [
      'an async iterable',
      (): BodyInit =>
        (async function* () {
          yield new TextEncoder().encode('streamed');
        })() as unknown as BodyInit,
    ],
  ])('does not re-send %s body: the 401 is returned', async (_, body) => {
    const fetch = api.authFetch();
    await fetch(api.server.url('/warm'));
    api.revokeCurrentToken();
    const response = await fetch(api.server.url('/upload'), {
      method: 'POST',
      body: body(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(api.server.apiCalls).toHaveLength(2);
    expect(api.lastCall().body).toBe('streamed');
    expect(api.server.tokenRequests).toHaveLength(1);
  });
});
