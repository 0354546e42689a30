/**
 * A token's freshness at the exact boundaries: when it turns stale (refresh ahead, delayed by
 * jitter) and expired (inside the leeway), for known, unknown and spent lifetimes.
 */
import { describe, expect, test } from 'vitest';
import {
  defaultExpiryPolicy,
  type ExpiryPolicy,
  freshnessAt,
  freshnessDeadlines,
  tokenFreshness,
} from './expiry.ts';

const hour = 3_600_000;

describe('freshnessDeadlines', () => {
  test.each([
    { jitter: 0, staleAt: 1_000 },
    { jitter: 0.5, staleAt: 1_100 },
  ])(
    'a 2 s token turns stale at $staleAt ms (jitter $jitter) and expired at 1800 ms',
    ({ jitter, staleAt }) => {
      expect(
        freshnessDeadlines({ issuedAt: 0, expiresAt: 2_000 }, defaultExpiryPolicy, jitter),
      ).toEqual({ staleAt, expiredAt: 1_800 });
    },
  );

  test('a token without expiry never turns stale; one without a lifetime is expired from the start', () => {
    const never = freshnessDeadlines({}, defaultExpiryPolicy);
    expect(never).toEqual({ staleAt: Infinity, expiredAt: Infinity });
    expect(freshnessAt(Number.MAX_SAFE_INTEGER, never)).toBe('fresh');
    const gone = freshnessDeadlines({ issuedAt: 5_000, expiresAt: 5_000 }, defaultExpiryPolicy);
    expect(freshnessAt(Number.MIN_SAFE_INTEGER, gone)).toBe('expired');
  });

  test('freshnessAt: each deadline belongs to the later state', () => {
    const deadlines = { staleAt: 100, expiredAt: 200 };
    expect([99, 100, 199, 200].map((now) => freshnessAt(now, deadlines))).toEqual([
      'fresh',
      'stale',
      'stale',
      'expired',
    ]);
  });
});

describe('tokenFreshness', () => {
  const twoSeconds = { issuedAt: 0, expiresAt: 2_000 };

  test.each([
    { now: 0, state: 'fresh' },
    { now: 999, state: 'fresh' },
    { now: 1_000, state: 'stale' },
    { now: 1_799, state: 'stale' },
    { now: 1_800, state: 'expired' },
    { now: 1_999, state: 'expired' },
    { now: 2_000, state: 'expired' },
    { now: 2_001, state: 'expired' },
  ])('a 2 s token at $now ms is $state', ({ now, state }) => {
    expect(tokenFreshness(twoSeconds, now, defaultExpiryPolicy)).toBe(state);
  });

  test.each([
    { jitter: 0.5, now: 1_099, state: 'fresh' },
    { jitter: 0.5, now: 1_100, state: 'stale' },
    { jitter: 0.5, now: 1_799, state: 'stale' },
    { jitter: 0.5, now: 1_800, state: 'expired' },
    { jitter: 0.999, now: 1_199, state: 'fresh' },
    { jitter: 0.999, now: 1_200, state: 'stale' },
    { jitter: 0.999, now: 1_799, state: 'stale' },
    { jitter: 0.999, now: 1_800, state: 'expired' },
  ])('jitter $jitter only delays the stale start: $now ms is $state', ({ jitter, now, state }) => {
    expect(tokenFreshness(twoSeconds, now, defaultExpiryPolicy, jitter)).toBe(state);
  });

  test.each([
    { now: 4_999, state: 'fresh' },
    { now: 5_000, state: 'stale' },
    { now: 8_999, state: 'stale' },
    { now: 9_000, state: 'expired' },
    { now: 9_500, state: 'expired' },
  ])('a 10 s token at $now ms is $state', ({ now, state }) => {
    expect(tokenFreshness({ issuedAt: 0, expiresAt: 10_000 }, now, defaultExpiryPolicy)).toBe(
      state,
    );
  });

  test.each([
    { now: 24 * hour - 1, state: 'fresh' },
    { now: 24 * hour, state: 'stale' },
    { now: 25 * hour - 30_001, state: 'stale' },
    { now: 25 * hour - 30_000, state: 'expired' },
  ])('seed 000: a 25 h token renewed after 24 h is $state at $now ms', ({ now, state }) => {
    const policy: ExpiryPolicy = { leewayMs: 30_000, refreshAheadMs: hour };
    expect(tokenFreshness({ issuedAt: 0, expiresAt: 25 * hour }, now, policy)).toBe(state);
  });

  test.each([
    { now: 699_999, state: 'fresh' },
    { now: 700_000, state: 'stale' },
    { now: 969_999, state: 'stale' },
    { now: 970_000, state: 'expired' },
  ])('without issuedAt the full windows apply: $now ms is $state', ({ now, state }) => {
    expect(tokenFreshness({ expiresAt: 1_000_000 }, now, defaultExpiryPolicy)).toBe(state);
  });

  test.each([
    { token: {}, now: 0 },
    { token: {}, now: Number.MAX_SAFE_INTEGER },
    { token: { issuedAt: 0 }, now: 10 * 365 * 24 * hour },
  ])('unknown expiry is fresh (%j)', ({ token, now }) => {
    expect(tokenFreshness(token, now, defaultExpiryPolicy)).toBe('fresh');
  });

  test.each([
    { issuedAt: 5_000, expiresAt: 5_000 },
    { issuedAt: 6_000, expiresAt: 5_000 },
  ])('a token with no lifetime left is expired (%j)', (token) => {
    expect(tokenFreshness(token, 0, defaultExpiryPolicy)).toBe('expired');
  });
});
