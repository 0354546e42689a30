import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from './auth-fetch.ts';
import { TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { isPending } from './test-support/async.ts';
import {
  type AuthServer,
  clientId,
  clientSecret,
  closeAllServers,
  type RecordedRequest,
  startAuthServer,
} from './test-support/auth-server.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

/** The token endpoint and API, on http://127.0.0.1:<port>. */
let server: AuthServer;
/** Another API on http://localhost:<port>: another origin. */
let other: AuthServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startAuthServer();
  other = await startAuthServer({ hostname: 'localhost' });
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
function last(on: AuthServer = server): RecordedRequest {
  const call = on.apiCalls.at(-1);
  if (!call) throw new Error('no API call');
  return call;
}

/** Makes the API reject the cached token, so the next request gets one 401 then a retry. */
function revokeCurrent(): void {
  const current = server.issued.at(-1);
  if (current) server.revoke(current);
}

describe('attaching the token', () => {
  it('sends Authorization: Bearer <token>, normalising token_type BEARER', async () => {
    server.tokenType = 'BEARER';
    const response = await authFetch()(server.url('/members'));
    expect(response.status).toBe(200);
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });

  it('adds static extra headers', async () => {
    await authFetch({ headers: { 'X-Tenant-Id': 'tenant-1' } })(server.url('/members'));
    expect(last().headers['x-tenant-id']).toBe('tenant-1');
  });

  it('adds extra headers from an async function of the URL', async () => {
    const fetch = authFetch({
      headers: async (url) => ({ 'X-Path': url.pathname, 'X-Query': url.search }),
    });
    await fetch(server.url('/one?page=2'));
    expect(last().headers).toMatchObject({ 'x-path': '/one', 'x-query': '?page=2' });
    await fetch(new URL(server.url('/two')));
    expect(last().headers).toMatchObject({ 'x-path': '/two', 'x-query': '' });
  });

  it('sends the token to every origin by default', async () => {
    expect((await authFetch()(other.url('/public/anything'))).status).toBe(200);
    expect(other.apiCalls).toHaveLength(1);
    expect(last(other).headers.authorization).toBe(`Bearer ${server.issued[0]}`);
  });

  it('sends neither token nor extra headers to origins outside the allow-list', async () => {
    const fetch = authFetch({ origins: [server.origin], headers: { 'X-Tenant-Id': 't' } });
    const response = await fetch(other.url('/public/page'), { headers: { 'X-Own': 'kept' } });
    expect(response.status).toBe(200);
    expect(last(other).headers.authorization).toBeUndefined();
    expect(last(other).headers['x-tenant-id']).toBeUndefined();
    expect(last(other).headers['x-own']).toBe('kept');
    expect(server.tokenRequests).toHaveLength(0);

    await fetch(server.url('/members'));
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
    expect(last().headers['x-tenant-id']).toBe('t');
  });

  it('skips the token with skipAuth', async () => {
    const response = await authFetch({ headers: { 'X-Tenant-Id': 't' } })(
      server.url('/public/health'),
      { skipAuth: true, headers: { 'X-Own': 'kept' } },
    );
    expect(response.status).toBe(200);
    expect(last().headers.authorization).toBeUndefined();
    expect(last().headers['x-tenant-id']).toBeUndefined();
    expect(last().headers['x-own']).toBe('kept');
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('rejects with the manager’s typed error when no token can be had, without calling the API', async () => {
    server.script({ status: 401, body: { error: 'invalid_client' } });
    const error = await authFetch()(server.url('/members')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', error: 'invalid_client' });
    expect(server.apiCalls).toHaveLength(0);
  });
});

describe('401', () => {
  it('re-sends once with a fresh token', async () => {
    const fetch = authFetch();
    await fetch(server.url('/warm'));
    revokeCurrent();
    const response = await fetch(server.url('/members'));
    expect(response.status).toBe(200);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      `Bearer ${server.issued[0]}`,
      `Bearer ${server.issued[0]}`,
      `Bearer ${server.issued[1]}`,
    ]);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('returns the second 401 as is; then, for 30 s, every 401 at once and without a token request', async () => {
    server.apiAlways401 = true;
    const fetch = authFetch();
    const response = await fetch(server.url('/members'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    expect(server.apiCalls).toHaveLength(2);
    expect(server.tokenRequests).toHaveLength(2);
    // The fresh token was refused too: the token is not the problem. Re-authorization cools down,
    // else every request would become a token request.
    for (let i = 1; i <= 3; i++) {
      const again = await fetch(server.url(`/members/${i}`));
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({ error: 'invalid_token' });
    }
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      `Bearer ${server.issued[0]}`,
      ...Array(4).fill(`Bearer ${server.issued[1]}`),
    ]);
    expect(server.tokenRequests).toHaveLength(2);
  });

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

  it('turns N concurrent 401s into one token request (always-401 API: 2 token requests)', async () => {
    server.apiAlways401 = true;
    const fetch = authFetch();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(server.url(`/members/${i}`))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(401));
    // Each request is re-sent once at most: fewer when a re-send's 401 already started the cool-down.
    expect(server.apiCalls.length).toBeGreaterThan(20);
    expect(server.apiCalls.length).toBeLessThanOrEqual(40);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('does not retry with retryOn401: false, nor drop the token', async () => {
    const fetch = authFetch({ retryOn401: false });
    await fetch(server.url('/warm'));
    revokeCurrent();
    expect((await fetch(server.url('/members'))).status).toBe(401);
    expect(server.apiCalls).toHaveLength(2);
    expect(server.tokenRequests).toHaveLength(1);
  });

  const bodies: [string, () => BodyInit, string | undefined][] = [
    ['a string', () => 'plain text body', 'text/plain;charset=UTF-8'],
    ['JSON', () => JSON.stringify({ a: 1, b: ['x'] }), 'application/json'],
    [
      'URLSearchParams',
      () => new URLSearchParams({ a: '1', b: 'two words' }),
      'application/x-www-form-urlencoded;charset=UTF-8',
    ],
    [
      'a Blob',
      () => new Blob([new Uint8Array([0, 1, 2, 255])], { type: 'image/x-test' }),
      'image/x-test',
    ],
    ['an ArrayBuffer', () => new Uint8Array([9, 8, 7, 0, 255]).buffer, undefined],
    ['a Uint8Array', () => new Uint8Array(70_000).fill(42), undefined],
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
    const headers: HeadersInit = _ === 'JSON' ? { 'Content-Type': 'application/json' } : {};
    const response = await fetch(server.url('/upload'), { method: 'PUT', body: body(), headers });
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
      'a ReadableStream',
      (): BodyInit =>
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('streamed'));
            controller.close();
          },
        }),
    ],
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

  it('keeps the token and extra headers on a same-origin redirect', async () => {
    const fetch = authFetch({ headers: { 'X-Tenant-Id': 't' } });
    const response = await fetch(redirect('/landing'));
    expect(response.status).toBe(200);
    expect(server.apiCalls.map((call) => call.path)).toEqual(['/redirect', '/landing']);
    expect(last().headers.authorization).toBe(`Bearer ${server.issued[0]}`);
    expect(last().headers['x-tenant-id']).toBe('t');
  });

  it('drops the token and extra headers on a cross-origin redirect (127.0.0.1 → localhost)', async () => {
    const fetch = authFetch({ headers: { 'X-Tenant-Id': 't' } });
    const response = await fetch(redirect(other.url('/public/landing')), {
      headers: { 'X-Own': 'kept' },
    });
    expect(response.status).toBe(200);
    expect(server.apiCalls[0]?.headers.authorization).toBe(`Bearer ${server.issued[0]}`);
    expect(other.apiCalls).toHaveLength(1);
    expect(last(other).headers.authorization).toBeUndefined();
    expect(last(other).headers['x-tenant-id']).toBeUndefined();
    expect(last(other).headers['x-own']).toBe('kept');
  });

  it('does not drop or renew the token for a 401 from an origin it was not sent to', async () => {
    const fetch = authFetch();
    const response = await fetch(redirect(other.url('/private')));
    expect(response.status).toBe(401);
    expect(server.apiCalls).toHaveLength(1);
    expect(other.apiCalls).toHaveLength(1);
    expect(server.tokenRequests).toHaveLength(1);
    expect((await fetch(server.url('/members'))).status).toBe(200);
    expect(server.tokenRequests).toHaveLength(1);
  });

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

describe('abort', () => {
  it('aborts the API request with the caller’s signal', async () => {
    server.apiDelayMs = 5_000;
    const controller = new AbortController();
    const pending = authFetch()(server.url('/slow'), { signal: controller.signal });
    await expect.poll(() => server.apiCalls.length).toBe(1);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('stops waiting for the token with the caller’s signal; others still get it', async () => {
    const release = server.holdTokens();
    const controller = new AbortController();
    const fetch = authFetch();
    const mine = fetch(server.url('/a'), { signal: controller.signal });
    const theirs = fetch(server.url('/b'));
    await server.tokenRequestsReached(1);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(mine).rejects.toBe(reason);
    expect(await isPending(theirs)).toBe(true);
    release();
    expect((await theirs).status).toBe(200);
    expect(server.apiCalls.map((call) => call.path)).toEqual(['/b']);
    expect(server.tokenRequests).toHaveLength(1);
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
