/**
 * fetchWithRedirectGuard's own rules beside the hops RedirectTrail decides: fetch's errors (the
 * limit before the Location, an invalid Location), tokenDroppedAt only for a request that carried
 * a sensitive header, the Location resolved against the URL that answered, a Request's body read
 * once for every 307/308.
 */
import { describe, expect, it } from 'vitest';
import { answerOf, fetchWithRedirectGuard } from './redirect-guard.ts';

type Route = [status: number, location: string, answeredBy?: string];

/** A fetch that answers each URL from `routes` (a redirect, or 200) and records the sends. */
function scriptedFetch(routes: Record<string, Route>) {
  const sent: { url: string; method: string; headers: Headers; body: string | undefined }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const request = input instanceof Request ? input : new Request(url, init);
    const body = request.body == null ? undefined : await request.text();
    sent.push({ url, method: request.method, headers: new Headers(request.headers), body });
    const route = routes[url];
    if (route === undefined) return new Response('ok');
    const response = new Response(null, { status: route[0], headers: { location: route[1] } });
    if (route[2] !== undefined) Object.defineProperty(response, 'url', { value: route[2] });
    return response;
  };
  return { fetchImpl, sent };
}

/** `count` redirects on api.example, /0 → /1 → … → /count, then `last` from /count. */
function chain(count: number, last?: Route): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (let i = 0; i < count; i++) routes[`https://api.example/${i}`] = [302, `/${i + 1}`];
  if (last !== undefined) routes[`https://api.example/${count}`] = last;
  return routes;
}

const guard = { sensitiveHeaders: ['authorization'] };

describe('fetchWithRedirectGuard limits and failures', () => {
  it('follows 20 redirects, and throws on the 21st with the URL it came from', async () => {
    const { fetchImpl, sent } = scriptedFetch(chain(20));
    const ok = await fetchWithRedirectGuard(fetchImpl, 'https://api.example/0', {}, guard);
    expect(ok.status).toBe(200);
    expect(sent).toHaveLength(21);
    const { fetchImpl: tooLong } = scriptedFetch(chain(21));
    await expect(
      fetchWithRedirectGuard(tooLong, 'https://api.example/0', {}, guard),
    ).rejects.toThrow(new TypeError('more than 20 redirects from https://api.example/20'));
  });

  it('checks the limit before reading the Location of the 21st redirect', async () => {
    const { fetchImpl } = scriptedFetch(chain(20, [302, 'http://[::1']));
    await expect(
      fetchWithRedirectGuard(fetchImpl, 'https://api.example/0', {}, guard),
    ).rejects.toThrow('more than 20 redirects from https://api.example/20');
  });

  it('throws a TypeError for a Location that makes no URL, sending nothing more', async () => {
    const { fetchImpl, sent } = scriptedFetch({ 'https://api.example/a': [302, 'http://[::1'] });
    await expect(
      fetchWithRedirectGuard(fetchImpl, 'https://api.example/a', {}, guard),
    ).rejects.toThrow(new TypeError('invalid redirect location: http://[::1'));
    expect(sent).toHaveLength(1);
  });

  it('lets go of the body of the redirect it fails on, as of every redirect it follows', async () => {
    let cancelled = 0;
    /** A fetch answering every URL but /20 with a redirect whose body tracks its cancel. */
    const withBodies =
      (last: string): typeof fetch =>
      async (input) => {
        const index = Number(String(input).split('/').pop());
        const body = new ReadableStream({ cancel: () => void cancelled++ });
        const location = index === 20 ? last : `/${index + 1}`;
        return new Response(body, { status: 302, headers: { location } });
      };
    await expect(
      fetchWithRedirectGuard(withBodies('/21'), 'https://api.example/0', {}, guard),
    ).rejects.toThrow('more than 20 redirects');
    expect(cancelled).toBe(21);
    cancelled = 0;
    await expect(
      fetchWithRedirectGuard(withBodies('http://[::1'), 'https://api.example/20', {}, guard),
    ).rejects.toThrow('invalid redirect location');
    expect(cancelled).toBe(1);
  });

  it('says where it dropped the token only for a request that carried one', async () => {
    const routes: Record<string, Route> = {
      'https://api.example/a': [302, 'https://other.example/b'],
    };
    const carried = scriptedFetch(routes);
    const headers = { authorization: 'Bearer t', 'x-trace': '1' };
    const dropped = await fetchWithRedirectGuard(
      carried.fetchImpl,
      'https://api.example/a',
      { headers },
      guard,
    );
    expect(answerOf(dropped).tokenDroppedAt).toBe('https://other.example/b');
    expect(carried.sent[1]?.headers.has('authorization')).toBe(false);
    expect(carried.sent[1]?.headers.get('x-trace')).toBe('1');
    const bare = scriptedFetch(routes);
    const kept = await fetchWithRedirectGuard(
      bare.fetchImpl,
      'https://api.example/a',
      { headers: { 'x-trace': '1' } },
      guard,
    );
    expect(kept.status).toBe(200);
    expect(answerOf(kept).tokenDroppedAt).toBeUndefined();
  });

  it('resolves the Location against the URL that answered, when the response says', async () => {
    const { fetchImpl, sent } = scriptedFetch({
      'https://api.example/a': [302, 'c', 'https://api.example/moved/b'],
    });
    await fetchWithRedirectGuard(fetchImpl, 'https://api.example/a', {}, guard);
    expect(sent.map((send) => send.url)).toEqual([
      'https://api.example/a',
      'https://api.example/moved/c',
    ]);
  });

  it('reads the body of a Request once and sends it again on every 307', async () => {
    const { fetchImpl, sent } = scriptedFetch({
      'https://api.example/a': [307, '/b'],
      'https://api.example/b': [308, '/c'],
    });
    const request = new Request('https://api.example/a', { method: 'PUT', body: 'payload' });
    const response = await fetchWithRedirectGuard(fetchImpl, request, undefined, guard);
    expect(response.status).toBe(200);
    expect(sent.map((send) => [send.method, send.body])).toEqual([
      ['PUT', 'payload'],
      ['PUT', 'payload'],
      ['PUT', 'payload'],
    ]);
  });
});
