/**
 * `resolveExpiresAt`: which expiry source wins (expires_in, expires_at, the JWT exp, a default
 * lifetime), counted from when the request was sent and corrected by the Date header.
 */
import { describe, expect, test } from 'vitest';
import { defaultExpiryPolicy, tokenFreshness } from './expiry.ts';
import { resolveExpiresAt } from './expiry-fields.ts';
import { papayaJwt, partnerJwt } from './test-support/seed-jwts.ts';

const minute = 60_000;
const hour = 60 * minute;

describe('resolveExpiresAt', () => {
  const opaque = 'opaque-access-token';

  test('counts expires_in from when the request was sent, not when the answer came', () => {
    expect(
      resolveExpiresAt({ expiresIn: 3600, accessToken: opaque, sentAt: 1_000, receivedAt: 9_000 }),
    ).toBe(3_601_000);
  });

  test('expires_in wins over expires_at, the JWT exp and the Date header', () => {
    expect(
      resolveExpiresAt({
        expiresIn: '60',
        expiresAt: '2024-07-11T07:48Z',
        accessToken: papayaJwt,
        sentAt: 5_000,
        receivedAt: 6_000,
        dateHeader: 'Sun, 22 Nov 2026 03:00:00 GMT',
        defaultLifetimeMs: 1,
      }),
    ).toBe(65_000);
  });

  test('an absolute expiry is taken as is without a Date header', () => {
    const now = Date.parse('2024-07-10T07:48:31Z');
    expect(
      resolveExpiresAt({
        expiresAt: '2024-07-11T07:48Z',
        accessToken: papayaJwt,
        sentAt: now,
        receivedAt: now,
      }),
    ).toBe(1_720_684_080_000);
  });

  test('a server clock one hour ahead moves the absolute expiry one hour earlier, still fresh', () => {
    const now = Date.parse('2024-07-10T07:48:00Z');
    const expiresAt = resolveExpiresAt({
      expiresAt: '2024-07-11T07:48Z',
      accessToken: opaque,
      sentAt: now - 200,
      receivedAt: now,
      dateHeader: 'Wed, 10 Jul 2024 08:48:00 GMT',
    });
    // Errs early by what the header cannot tell: up to 999 ms of rounding plus the 200 ms trip.
    expect(expiresAt).toBe(Date.parse('2024-07-11T06:48:00Z') - 1_199);
    expect(tokenFreshness({ expiresAt, issuedAt: now - 200 }, now, defaultExpiryPolicy)).toBe(
      'fresh',
    );
  });

  test('a server clock one hour behind does not make a 30-minute token look expired', () => {
    const now = Date.parse('2024-07-10T10:00:00Z');
    const expiresAt = resolveExpiresAt({
      expiresAt: '2024-07-10T09:30Z', // in the past on our clock, 30 min ahead on the server's
      accessToken: opaque,
      sentAt: now,
      receivedAt: now,
      dateHeader: 'Wed, 10 Jul 2024 09:00:00 GMT',
    });
    expect(expiresAt).toBe(now + 30 * minute - 999);
    expect(tokenFreshness({ expiresAt, issuedAt: now }, now, defaultExpiryPolicy)).toBe('fresh');
  });

  test('falls back to the JWT exp, corrected by the Date header too', () => {
    const receivedAt = Date.parse('2024-07-10T07:48:31Z');
    const base = { accessToken: papayaJwt, sentAt: receivedAt, receivedAt };
    expect(resolveExpiresAt(base)).toBe(1_720_684_111_000);
    expect(resolveExpiresAt({ ...base, dateHeader: 'Wed, 10 Jul 2024 08:48:31 GMT' })).toBe(
      1_720_684_111_000 - hour - 999,
    );
  });

  test('an absolute expiry wins over the JWT exp', () => {
    expect(
      resolveExpiresAt({
        expiresAt: 1_720_684_080,
        accessToken: papayaJwt,
        sentAt: 0,
        receivedAt: 0,
      }),
    ).toBe(1_720_684_080_000);
  });

  test('null and empty expiry fields fall through to the next source', () => {
    expect(
      resolveExpiresAt({
        expiresIn: null,
        expiresAt: '',
        accessToken: partnerJwt,
        sentAt: 0,
        receivedAt: 0,
      }),
    ).toBe(1_710_223_631_577);
  });

  test('defaultLifetimeMs applies only when nothing else does, counted from sentAt', () => {
    const base = {
      accessToken: opaque,
      sentAt: 1_000,
      receivedAt: 9_000,
      defaultLifetimeMs: 60_000,
    };
    expect(resolveExpiresAt(base)).toBe(61_000);
    expect(resolveExpiresAt({ ...base, accessToken: partnerJwt })).toBe(1_710_223_631_577);
    expect(resolveExpiresAt({ ...base, expiresIn: 10 })).toBe(11_000);
  });

  test('unknown lifetime without a default', () => {
    expect(resolveExpiresAt({ accessToken: opaque, sentAt: 0, receivedAt: 0 })).toBeUndefined();
  });

  test('a malformed expires_in is an error, not a silent fallback', () => {
    expect(() =>
      resolveExpiresAt({
        expiresIn: 'soon',
        expiresAt: '2024-07-11T07:48Z',
        accessToken: opaque,
        sentAt: 0,
        receivedAt: 0,
      }),
    ).toThrow(/^expires_in /);
  });

  test('a malformed absolute expiry is an error naming expires_at', () => {
    expect(() =>
      resolveExpiresAt({ expiresAt: '2024-02-30', accessToken: opaque, sentAt: 0, receivedAt: 0 }),
    ).toThrow(/^expires_at /);
  });
});
