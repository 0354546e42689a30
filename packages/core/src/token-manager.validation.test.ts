/**
 * `createTokenManager` checks its token URL (https, or http on loopback) and every option at
 * once, naming the option in the error.
 */
import { clientId, clientSecret } from '@tokenwise/test-kit';
import { describe, expect, it } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import { ccFlow, useManagerFixture } from './test-support/manager-fixture.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';

useManagerFixture();

describe('token URL and option validation', () => {
  it.each([
    'http://127.0.0.1:1/token',
    'http://127.9.8.7/token',
    'http://localhost:8080/token',
    'http://auth.localhost/token',
    'http://[::1]:8080/token',
    'https://auth.example.com/token',
  ])('accepts %s', (tokenUrl) => {
    expect(() =>
      createTokenManager({ flow: clientCredentials({ tokenUrl, clientId, clientSecret }) }),
    ).not.toThrow();
  });

  it.each([
    'http://auth.example.com/token',
    'http://127.0.0.1.nip.io/token',
    'http://localhost.example.com/token',
    'http://10.0.0.1/token',
  ])('rejects %s unless allowInsecureHttp', (tokenUrl) => {
    const flow = clientCredentials({ tokenUrl, clientId, clientSecret });
    expect(() => createTokenManager({ flow })).toThrow(TypeError);
    expect(() => createTokenManager({ flow })).toThrow(/https:.*allowInsecureHttp/);
    expect(() => createTokenManager({ flow, allowInsecureHttp: true })).not.toThrow();
  });

  const invalid: [string, Record<string, unknown>, typeof TypeError | typeof RangeError][] = [
    ['timeoutMs', { timeoutMs: 0 }, RangeError],
    ['timeoutMs', { timeoutMs: 300_001 }, RangeError],
    ['timeoutMs', { timeoutMs: Number.NaN }, RangeError],
    ['timeoutMs', { timeoutMs: '5000' }, TypeError],
    ['retry', { retry: -1 }, RangeError],
    ['retry', { retry: 1.5 }, RangeError],
    ['retry', { retry: 'twice' }, TypeError],
    ['retry.limit', { retry: { limit: 11 } }, RangeError],
    ['retry.baseDelayMs', { retry: { baseDelayMs: -1 } }, RangeError],
    ['retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: 3_600_001 } }, RangeError],
    ['leewayMs', { leewayMs: -1 }, RangeError],
    ['refreshAheadMs', { refreshAheadMs: 86_400_001 }, RangeError],
    ['defaultLifetimeMs', { defaultLifetimeMs: 0 }, RangeError],
    ['failureBackoffMs', { failureBackoffMs: 30_001 }, RangeError],
    ['lockTtlMs', { lockTtlMs: 99 }, RangeError],
    ['now', { now: 0 }, TypeError],
    ['random', { random: 'x' }, TypeError],
    ['fetch', { fetch: {} }, TypeError],
    ['onTokenChange', { onTokenChange: true }, TypeError],
    ['onError', { onError: 'log' }, TypeError],
    ['cacheKey', { cacheKey: '' }, TypeError],
    ['store', { store: { get() {}, set() {} } }, TypeError],
    ['flow', { flow: { tokenUrl: 'https://x.example' } }, TypeError],
  ];
  it.each(invalid)('names %s in the error', (name, options, kind) => {
    const create = (): TokenManager =>
      createTokenManager({ flow: ccFlow(), ...options } as unknown as TokenManagerOptions);
    expect(create).toThrow(kind);
    expect(create).toThrow(new RegExp(`\\b${name.replace('.', '\\.')}\\b`));
  });

  it('accepts the bounds themselves', () => {
    expect(() =>
      createTokenManager({
        flow: ccFlow(),
        timeoutMs: 1,
        retry: { limit: 10, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
        leewayMs: 0,
        refreshAheadMs: 86_400_000,
        failureBackoffMs: 30_000,
        lockTtlMs: 100,
        defaultLifetimeMs: 1,
      }),
    ).not.toThrow();
  });
});
