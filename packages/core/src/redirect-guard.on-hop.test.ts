/** fetchWithRedirectGuard's `onHop`: what each hop that keeps the credentials needs anew. */
import { describe, expect, it } from 'vitest';
import { fetchWithRedirectGuard } from './redirect-guard.ts';
import type { RedirectHop } from './redirect-hop.ts';

/** A fetch that answers each URL from `routes` (a redirect location or 200) and records the sends. */
function scriptedFetch(routes: Record<string, [status: number, location: string]>) {
  const sent: { url: string; method: string; headers: Headers }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    sent.push({ url, method: init?.method ?? 'GET', headers: new Headers(init?.headers) });
    const route = routes[url];
    if (route === undefined) return new Response('ok');
    return new Response(null, { status: route[0], headers: { location: route[1] } });
  };
  return { fetchImpl, sent };
}

describe('fetchWithRedirectGuard onHop', () => {
  it('sets what onHop gives on each hop within the origin, with the method the hop is sent with', async () => {
    const { fetchImpl, sent } = scriptedFetch({
      'https://a.test/start': [303, '/second?x=1'],
      'https://a.test/second?x=1': [307, 'https://a.test/third'],
    });
    const hops: RedirectHop[] = [];
    const response = await fetchWithRedirectGuard(
      fetchImpl,
      'https://a.test/start',
      { method: 'POST', body: 'payload', headers: { Authorization: 'DPoP t', DPoP: 'first' } },
      {
        sensitiveHeaders: ['authorization', 'dpop'],
        onHop: async (hop) => {
          hops.push(hop);
          return { DPoP: `proof-${hops.length}` };
        },
      },
    );
    expect(response.status).toBe(200);
    expect(hops.map(({ url, method, redirect }) => [url, method, redirect?.url])).toEqual([
      ['https://a.test/second?x=1', 'GET', 'https://a.test/start'],
      ['https://a.test/third', 'GET', 'https://a.test/second?x=1'],
    ]);
    expect(hops[0]?.redirect?.headers.get('location')).toBe('/second?x=1');
    expect(sent.map((call) => [call.method, call.headers.get('dpop')])).toEqual([
      ['POST', 'first'],
      ['GET', 'proof-1'],
      ['GET', 'proof-2'],
    ]);
    expect(sent.map((call) => call.headers.get('authorization'))).toEqual(Array(3).fill('DPoP t'));
  });

  it('is not asked for a hop to another origin, nor for any hop after it', async () => {
    const { fetchImpl, sent } = scriptedFetch({
      'https://a.test/start': [302, 'https://b.test/away'],
      'https://b.test/away': [302, 'https://a.test/back'],
    });
    const hops: RedirectHop[] = [];
    await fetchWithRedirectGuard(
      fetchImpl,
      'https://a.test/start',
      { headers: { Authorization: 'DPoP t', DPoP: 'first' } },
      {
        sensitiveHeaders: ['authorization', 'dpop'],
        onHop: async (hop) => {
          hops.push(hop);
          return { DPoP: 'again' };
        },
      },
    );
    expect(hops).toEqual([]);
    expect(
      sent.slice(1).map((call) => [call.headers.has('authorization'), call.headers.has('dpop')]),
    ).toEqual([
      [false, false],
      [false, false],
    ]);
  });

  it('rejects the request with what onHop rejects with, sending no hop', async () => {
    const { fetchImpl, sent } = scriptedFetch({ 'https://a.test/start': [302, '/next'] });
    const failure = new Error('no proof');
    const sending = fetchWithRedirectGuard(fetchImpl, 'https://a.test/start', undefined, {
      sensitiveHeaders: ['authorization'],
      onHop: () => Promise.reject(failure),
    });
    await expect(sending).rejects.toBe(failure);
    expect(sent).toHaveLength(1);
  });
});
