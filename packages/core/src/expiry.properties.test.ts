/**
 * Properties of the pure expiry math over generated times, lifetimes, policies and jitter: every
 * form of an expiry resolves alike, and freshness only moves forward to expired.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tokenFreshness } from './expiry.ts';
import { resolveExpiresAt } from './expiry-fields.ts';

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
