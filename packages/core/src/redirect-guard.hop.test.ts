import { describe, expect, it } from 'vitest';
import { dropOnCrossOriginHop } from './redirect-guard.ts';

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
