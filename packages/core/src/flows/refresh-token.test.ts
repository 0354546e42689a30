/**
 * `refreshToken`: a flow that starts from a stored refresh token.
 */
import { describe, expect, test } from 'vitest';
import { jsonOf, refresh, tokenUrl } from '../test-support/flow-fixtures.ts';
import { refreshToken } from './refresh-token.ts';

describe('refreshToken', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'rt-0' };

  test('starts from the stored refresh token and has no initial grant', () => {
    const flow = refreshToken({ ...base, scope: 'offline_access', bodyFormat: 'json' });
    expect(flow.kind).toBe('refresh_token');
    expect(flow.initialRefreshToken?.()).toBe('rt-0');
    expect(flow.initialGrant).toBeUndefined();
    expect(jsonOf(refresh(flow, 'rt-5'))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-5',
      scope: 'offline_access',
      client_id: 'client-1',
      client_secret: 'secret-1',
    });
  });

  test('subject, not the refresh token, distinguishes the cache entry when given', () => {
    const a = refreshToken({ ...base, refreshToken: 'rt-a', subject: 'user-1' });
    const b = refreshToken({ ...base, refreshToken: 'rt-b', subject: 'user-1' });
    expect(a.cacheKeyMaterial()).toBe(b.cacheKeyMaterial());
    expect(refreshToken({ ...base, refreshToken: 'rt-a' }).cacheKeyMaterial()).not.toBe(
      refreshToken({ ...base, refreshToken: 'rt-b' }).cacheKeyMaterial(),
    );
  });

  test('refreshToken missing: TypeError naming the option', () => {
    expect(() => refreshToken({ ...base, refreshToken: undefined } as never)).toThrow(
      /^refreshToken: refreshToken must be a non-empty string$/,
    );
  });
});
