import { describe, expect, it } from 'vitest';
import { frozenAuthorization } from './authorization.ts';
import { lowerCaseHeaders } from './lower-case-headers.ts';
import type { Token } from './token.ts';

describe('lowerCaseHeaders', () => {
  it('gives the same frozen record of lower-case names for one authorization, a new one for the next', () => {
    const token: Token = { accessToken: 'a', tokenType: 'Bearer', raw: {} };
    const first = frozenAuthorization(token, { Authorization: 'Bearer a', 'X-Tenant-Id': 'acme' });
    const own = lowerCaseHeaders(first);
    expect(own).toEqual({ authorization: 'Bearer a', 'x-tenant-id': 'acme' });
    expect(Object.isFrozen(own)).toBe(true);
    expect(lowerCaseHeaders(first)).toBe(own);
    const next = frozenAuthorization(token, { Authorization: 'Bearer b' });
    expect(lowerCaseHeaders(next)).toEqual({ authorization: 'Bearer b' });
  });
});
