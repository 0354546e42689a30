/**
 * What distinguishes one flow's cache entry from another's: an explicit cacheKey, the body, the
 * headers and the params (tenants).
 */
import { describe, expect, test } from 'vitest';
import { tokenRequestBase as base, ccBase } from '../test-support/flow-fixtures.ts';
import { clientCredentials } from './client-credentials.ts';
import { tokenRequest } from './token-request.ts';

describe('tokenRequest', () => {
  test('cacheKey replaces the default key material; bodies distinguish it otherwise', () => {
    expect(tokenRequest({ ...base, cacheKey: 'tenant-1' }).cacheKeyMaterial()).toBe('tenant-1');
    expect(tokenRequest(base).cacheKeyMaterial()).not.toBe(
      tokenRequest({ ...base, body: { api_key: 'other', client_secret: 's' } }).cacheKeyMaterial(),
    );
    expect(tokenRequest(base).cacheKeyMaterial()).not.toBe(
      tokenRequest({ ...base, headers: { 'X-Tenant': 'b' } }).cacheKeyMaterial(),
    );
  });

  test('client credentials: headers and params distinguish the cache entry too (tenants)', () => {
    const eu = clientCredentials({ ...ccBase(), headers: { TenantRegion: 'EU' } });
    const us = clientCredentials({ ...ccBase(), headers: { TenantRegion: 'US' } });
    expect(eu.cacheKeyMaterial()).not.toBe(us.cacheKeyMaterial());
    expect(eu.cacheKeyMaterial()).toBe(
      clientCredentials({ ...ccBase(), headers: { TenantRegion: 'EU' } }).cacheKeyMaterial(),
    );
  });
});
