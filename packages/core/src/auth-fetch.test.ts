import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  type RecordedRequest,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

/** The token endpoint and API, on http://127.0.0.1:<port>. */
let server: LoopbackServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
});

afterEach(async () => {
  await tokens.close();
  await closeAllServers();
});

function authFetch(options: Partial<AuthFetchOptions> = {}): AuthFetch {
  return createAuthFetch({ tokens, ...options });
}

/** The last API call the server saw. */
function last(): RecordedRequest {
  const call = server.apiCalls.at(-1);
  if (!call) throw new Error('no API call');
  return call;
}

/** Makes the API reject the cached token, so the next request gets one 401 then a retry. */
function revokeCurrent(): void {
  const current = server.issued.at(-1);
  if (current) server.revoke(current);
}

describe('attaching the token', () => {
  it('adds extra headers from an async function of the URL', async () => {
    const fetch = authFetch({
      headers: async (url) => ({ 'X-Path': url.pathname, 'X-Query': url.search }),
    });
    await fetch(server.url('/one?page=2'));
    expect(last().headers).toMatchObject({ 'x-path': '/one', 'x-query': '?page=2' });
    await fetch(new URL(server.url('/two')));
    expect(last().headers).toMatchObject({ 'x-path': '/two', 'x-query': '' });
  });
});

describe('401', () => {
  it('renews a revoked token on the next 401 once the 30 s cool-down is over', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    server.apiAlways401 = true;
    const fetch = authFetch();
    await fetch(server.url('/members')); // issued[0] dropped, issued[1] refused on the re-send
    server.apiAlways401 = false;
    revokeCurrent();
    vi.advanceTimersByTime(29_999);
    expect((await fetch(server.url('/members'))).status).toBe(401);
    expect(server.tokenRequests).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const response = await fetch(server.url('/members'));
    expect(response.status).toBe(200);
    expect(server.tokenRequests).toHaveLength(3);
    expect(server.apiCalls.slice(2).map((call) => call.headers.authorization)).toEqual([
      `Bearer ${server.issued[1]}`,
      `Bearer ${server.issued[1]}`,
      `Bearer ${server.issued[2]}`,
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
    const fetch = authFetch();
    await fetch(server.url('/warm'));
    revokeCurrent();
    const response = await fetch(server.url('/upload'), { method: 'PUT', body: body() });
    expect(response.status).toBe(200);
    const [first, second] = server.apiCalls.slice(-2);
    expect(first?.method).toBe('PUT');
    expect(second?.method).toBe('PUT');
    expect(first?.bytes.length).toBeGreaterThan(0);
    expect(second?.bytes.equals(first?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    if (type) expect(first?.headers['content-type']).toContain(type);
    expect(second?.headers.authorization).toBe(`Bearer ${server.issued[1]}`);
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
    const fetch = authFetch();
    await fetch(server.url('/warm'));
    revokeCurrent();
    const response = await fetch(server.url('/upload'), {
      method: 'POST',
      body: body(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(server.apiCalls).toHaveLength(2);
    expect(last().body).toBe('streamed');
    expect(server.tokenRequests).toHaveLength(1);
  });
});

describe('a Request as input', () => {
  it('sends it with the token, re-sends its body after a 401, and leaves the caller’s Request as it was', async () => {
    const fetch = authFetch();
    await fetch(server.url('/warm'));
    revokeCurrent();
    const request = new Request(server.url('/upload'), {
      method: 'POST',
      body: 'payload',
      headers: { 'X-Own': 'kept' },
    });
    const response = await fetch(request);
    expect(response.status).toBe(200);
    const [first, second] = server.apiCalls.slice(-2);
    expect([first?.body, second?.body]).toEqual(['payload', 'payload']);
    expect(second?.headers).toMatchObject({
      authorization: `Bearer ${server.issued[1]}`,
      'x-own': 'kept',
    });
    expect([...request.headers.keys()]).toEqual(['content-type', 'x-own']);
  });

  it('takes the headers of init over the Request’s, as fetch does', async () => {
    await authFetch()(new Request(server.url('/members'), { headers: { 'X-Own': 'request' } }), {
      headers: { 'X-Init': 'init' },
    });
    expect(last().headers['x-own']).toBeUndefined();
    expect(last().headers['x-init']).toBe('init');
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });

  it('keeps method and body of a Request on 307', async () => {
    const to = server.url(`/redirect?${new URLSearchParams({ to: '/result', status: '307' })}`);
    await authFetch()(new Request(to, { method: 'POST', body: 'payload' }));
    expect(last()).toMatchObject({ method: 'POST', path: '/result', body: 'payload' });
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });
});

describe('redirects', () => {
  const redirect = (to: string, status = 302): string =>
    server.url(`/redirect?${new URLSearchParams({ to, status: String(status) })}`);

  it('turns a POST into a GET without body on 303', async () => {
    const response = await authFetch()(redirect('/result', 303), {
      method: 'POST',
      body: JSON.stringify({ a: 1 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(last()).toMatchObject({ method: 'GET', path: '/result', body: '' });
    expect(last().headers['content-type']).toBeUndefined();
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });

  it('keeps method and body on 307', async () => {
    await authFetch()(redirect('/result', 307), { method: 'POST', body: 'payload' });
    expect(last()).toMatchObject({ method: 'POST', path: '/result', body: 'payload' });
  });

  it('returns a 307 to the caller for a stream body, which it cannot send twice', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await authFetch()(redirect('/result', 307), {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(307);
    expect(server.apiCalls.map((call) => call.path)).toEqual(['/redirect']);
  });

  it('leaves redirect: manual to the caller', async () => {
    const response = await authFetch()(redirect('/landing'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(server.apiCalls).toHaveLength(1);
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });
});

describe('createAuthFetch options', () => {
  it('throws a TypeError when fetch is not a function', () => {
    expect(() => createAuthFetch({ tokens, fetch: 'fetch' as unknown as typeof fetch })).toThrow(
      /fetch must be a function/,
    );
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const fetch = authFetch({
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return globalThis.fetch(input, init);
      },
    });
    await fetch(server.url('/members'));
    expect(seen).toEqual([server.url('/members')]);
  });

  it('passes runtime-specific init members (such as Bun proxy) to every send, but not skipAuth', async () => {
    const extras: unknown[] = [];
    server.apiAlways401 = true;
    const fetch = authFetch({
      fetch: (input, init) => {
        extras.push(init);
        return globalThis.fetch(input);
      },
    });
    const proxy = 'http://proxy.invalid:3128';
    await fetch(server.url('/members'), { proxy, skipAuth: false } as RequestInit);
    expect(extras).toHaveLength(2);
    for (const init of extras) {
      expect(init).toMatchObject({ proxy });
      expect(init).not.toHaveProperty('skipAuth');
    }
  });
});
