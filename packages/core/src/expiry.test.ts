import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  defaultExpiryPolicy,
  type ExpiryPolicy,
  expiryWindows,
  freshnessAt,
  freshnessDeadlines,
  tokenFreshness,
} from './expiry.ts';
import { resolveExpiresAt } from './expiry-fields.ts';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** An unsigned JWT with the given payload (the signature is never checked). */
function _jwt(payload: unknown): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
}

describe('expiryWindows', () => {
  test.each([
    { lifetime: 2_000, policy: defaultExpiryPolicy, leewayMs: 200, refreshAheadMs: 1_000 },
    { lifetime: 100, policy: defaultExpiryPolicy, leewayMs: 10, refreshAheadMs: 50 },
    { lifetime: 0, policy: defaultExpiryPolicy, leewayMs: 0, refreshAheadMs: 0 },
    { lifetime: 10_000, policy: defaultExpiryPolicy, leewayMs: 1_000, refreshAheadMs: 5_000 },
    { lifetime: 300_000, policy: defaultExpiryPolicy, leewayMs: 30_000, refreshAheadMs: 150_000 },
    { lifetime: 3_600_000, policy: defaultExpiryPolicy, leewayMs: 30_000, refreshAheadMs: 300_000 },
    {
      lifetime: Number.POSITIVE_INFINITY,
      policy: defaultExpiryPolicy,
      leewayMs: 30_000,
      refreshAheadMs: 300_000,
    },
    {
      lifetime: 25 * hour,
      policy: { leewayMs: 30_000, refreshAheadMs: hour },
      leewayMs: 30_000,
      refreshAheadMs: hour,
    },
    {
      lifetime: Number.POSITIVE_INFINITY,
      policy: { leewayMs: 30_000, refreshAheadMs: 10_000 },
      leewayMs: 30_000,
      refreshAheadMs: 30_000,
    },
    {
      lifetime: 60_000,
      policy: { leewayMs: 0, refreshAheadMs: 0 },
      leewayMs: 0,
      refreshAheadMs: 0,
    },
  ])('lifetime $lifetime: leeway $leewayMs, refresh-ahead $refreshAheadMs', (row) => {
    expect(expiryWindows(row.lifetime, row.policy)).toEqual({
      leewayMs: row.leewayMs,
      refreshAheadMs: row.refreshAheadMs,
    });
  });
});

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

describe('properties', () => {
  const epochMs = fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 });
  const seconds = fc.integer({ min: 1, max: 10 * 365 * 24 * 3600 });

  test('expiresAt is monotonic in expires_in', () => {
    fc.assert(
      fc.property(epochMs, seconds, seconds, (sentAt, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        const at = (expiresIn: number) =>
          resolveExpiresAt({ expiresIn, accessToken: 'x', sentAt, receivedAt: sentAt + 50 });
        expect(at(short)).toBeLessThanOrEqual(at(long) as number);
        expect(at(long)).toBe(sentAt + long * 1000);
      }),
    );
  });

  test('absolute (ISO, epoch s, epoch ms, behind a skewed Date header) and relative forms agree', () => {
    fc.assert(
      fc.property(
        epochMs.map((ms) => ms - (ms % 1000)),
        seconds,
        fc.integer({ min: 0, max: 30_000 }),
        // Within the 24 h a Date header is believed for (see maxClockOffsetMs).
        fc.integer({ min: -86_000, max: 86_000 }),
        (sentAt, lifetime, latency, skewSeconds) => {
          const receivedAt = sentAt + latency - (latency % 1000);
          const expected = sentAt + lifetime * 1000;
          const base = { accessToken: 'x', sentAt, receivedAt };
          expect(resolveExpiresAt({ ...base, expiresIn: lifetime })).toBe(expected);
          expect(resolveExpiresAt({ ...base, expiresIn: String(lifetime) })).toBe(expected);
          expect(resolveExpiresAt({ ...base, expiresAt: new Date(expected).toISOString() })).toBe(
            expected,
          );
          expect(resolveExpiresAt({ ...base, expiresAt: expected / 1000 })).toBe(expected);
          expect(resolveExpiresAt({ ...base, expiresAt: expected })).toBe(expected);
          // The server's clock is skewed; its Date header and its expiry agree with each other.
          // The correction errs early, by the header's rounding (999 ms) and the round trip.
          const skew = skewSeconds * 1000;
          expect(
            resolveExpiresAt({
              ...base,
              expiresAt: new Date(expected + skew).toISOString(),
              dateHeader: new Date(receivedAt + skew).toUTCString(),
            }),
          ).toBe(expected - 999 - (receivedAt - sentAt));
        },
      ),
    );
  });

  const policy = fc.record({
    leewayMs: fc.integer({ min: 0, max: 3_600_000 }),
    refreshAheadMs: fc.integer({ min: 0, max: 86_400_000 }),
  });
  const jitter = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  test('a token is never fresh or stale at or after expiresAt', () => {
    fc.assert(
      fc.property(
        epochMs,
        fc.option(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        policy,
        jitter,
        (expiresAt, lifetime, after, p, j) => {
          const issuedAt = lifetime === undefined ? undefined : expiresAt - lifetime;
          expect(tokenFreshness({ expiresAt, issuedAt }, expiresAt + after, p, j)).toBe('expired');
        },
      ),
    );
  });

  test('freshness only moves forward: fresh, then stale, then expired', () => {
    const rank = { fresh: 0, stale: 1, expired: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: -200_000_000, max: 200_000_000 }),
        fc.integer({ min: 0, max: 200_000_000 }),
        policy,
        jitter,
        (lifetime, t, step, p, j) => {
          const token = { issuedAt: 0, expiresAt: lifetime };
          const before = tokenFreshness(token, t, p, j);
          const later = tokenFreshness(token, t + step, p, j);
          expect(rank[later]).toBeGreaterThanOrEqual(rank[before]);
        },
      ),
    );
  });

  test('a token of any lifetime is served (not expired) right after it is issued', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100_000_000 }), policy, jitter, (lifetime, p, j) => {
        expect(tokenFreshness({ issuedAt: 0, expiresAt: lifetime }, 0, p, j)).not.toBe('expired');
      }),
    );
  });
});
