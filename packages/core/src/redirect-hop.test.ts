import { describe, expect, it } from 'vitest';
import { dropOnCrossOriginHop, isRedirect, nextHop } from './redirect-hop.ts';

const names = new Set(['authorization', 'x-tenant-id']);

describe('dropOnCrossOriginHop', () => {
  it('keeps the headers on a hop within the origin', () => {
    const headers = { Authorization: 'Bearer t', 'X-Tenant-Id': 'acme', Accept: '*/*' };
    expect(
      dropOnCrossOriginHop('https://a.example/x', 'https://a.example:443/y', headers, names),
    ).toBe(false);
    expect(headers).toEqual({ Authorization: 'Bearer t', 'X-Tenant-Id': 'acme', Accept: '*/*' });
  });

  it.each([
    ['another host', 'https://b.example/y'],
    ['another port', 'https://a.example:8443/y'],
    ['another scheme', 'http://a.example/y'],
    ['a URL that does not parse', 'not a url'],
  ])('drops the named headers, in any letter case, on a hop to %s, and says so', (_, to) => {
    const headers = { AUTHORIZATION: 'Bearer t', 'x-tenant-id': 'acme', Accept: '*/*' };
    expect(dropOnCrossOriginHop('https://a.example/x', to, headers, names)).toBe(true);
    expect(headers).toEqual({ Accept: '*/*' });
  });
});

describe('nextHop', () => {
  const from = 'https://a.example/start?x=1';

  it.each([
    { status: 303, method: 'POST', to: 'GET', sendsBody: false },
    { status: 303, method: 'PUT', to: 'GET', sendsBody: false },
    { status: 303, method: 'HEAD', to: 'HEAD', sendsBody: true },
    { status: 301, method: 'POST', to: 'GET', sendsBody: false },
    { status: 302, method: 'post', to: 'GET', sendsBody: false },
    { status: 302, method: 'PUT', to: 'PUT', sendsBody: true },
    { status: 307, method: 'POST', to: 'POST', sendsBody: true },
    { status: 308, method: 'DELETE', to: 'DELETE', sendsBody: true },
  ])('a $status after $method is sent as $to', ({ status, method, to, sendsBody }) => {
    expect(nextHop(from, status, '/next', method)).toMatchObject({ method: to, sendsBody });
  });

  it('resolves the location against the answering URL and tells whether it stays on the origin', () => {
    const same = nextHop(from, 302, 'next?page=2', 'GET');
    expect(same?.url.href).toBe('https://a.example/next?page=2');
    expect(same?.sameOrigin).toBe(true);
    expect(nextHop(from, 302, 'https://a.example:8443/next', 'GET')?.sameOrigin).toBe(false);
    expect(nextHop(from, 302, 'http://a.example/next', 'GET')?.sameOrigin).toBe(false);
  });

  it('makes no hop of a location that is no URL, or from a URL that is not absolute', () => {
    expect(nextHop(from, 302, 'http://[::1', 'GET')).toBeUndefined();
    expect(nextHop('/relative', 302, '/next', 'GET')).toBeUndefined();
  });
});

describe('isRedirect', () => {
  it.each([
    [301, '/x', true],
    [308, '/x', true],
    [304, '/x', false],
    [302, null, false],
    [200, '/x', false],
    [400, '/x', false],
  ])('%i with location %s: %s', (status, location, expected) => {
    expect(isRedirect(status, location)).toBe(expected);
  });
});
