import { describe, expect, test } from 'vitest';
import { defaultExpiryPolicy, tokenFreshness } from './expiry.ts';
import {
  jwtExpiry,
  parseAbsoluteExpiry,
  parseExpiresIn,
  resolveExpiresAt,
} from './expiry-fields.ts';
import { papayaJwt, partnerJwt } from './test-support/seed-jwts.ts';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** An unsigned JWT with the given payload (the signature is never checked). */
function jwt(payload: unknown): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
}

describe('parseExpiresIn', () => {
  test.each([
    { value: 3600, ms: 3_600_000 },
    { value: '3600', ms: 3_600_000 },
    { value: ' 3600 ', ms: 3_600_000 },
    { value: 90_000, ms: 90_000_000 },
    { value: 0, ms: 0 },
    { value: '0', ms: 0 },
    { value: 1.5, ms: 1_500 },
    { value: '1.5', ms: 1_500 },
    { value: 0.0004, ms: 0 },
    { value: 9_007_199_254_740, ms: 9_007_199_254_740_000 },
  ])('$value s is $ms ms', ({ value, ms }) => {
    expect(parseExpiresIn(value)).toBe(ms);
  });

  test.each([undefined, null, ''])('%j is absent', (value) => {
    expect(parseExpiresIn(value)).toBeUndefined();
  });

  test.each([
    { name: 'a negative number', value: -1 },
    { name: 'a negative numeric string', value: '-1' },
    { name: 'NaN', value: Number.NaN },
    { name: 'Infinity', value: Number.POSITIVE_INFINITY },
    { name: '-Infinity', value: Number.NEGATIVE_INFINITY },
    { name: '1e300', value: 1e300 },
    { name: 'one second past the safe-integer range', value: 9_007_199_254_741 },
    { name: 'a 401-digit string', value: `1${'0'.repeat(400)}` },
    { name: 'an exponent string', value: '1e3' },
    { name: 'a unit suffix', value: '3600s' },
    { name: 'a word', value: 'soon' },
    { name: 'an object', value: { seconds: 3600 } },
    { name: 'an array', value: [3600] },
    { name: 'a boolean', value: true },
  ])('rejects $name with a RangeError naming the field', ({ value }) => {
    expect(() => parseExpiresIn(value)).toThrow(RangeError);
    expect(() => parseExpiresIn(value)).toThrow(/^expires_in must be a non-negative number/);
    expect(() => parseExpiresIn(value, 'refresh_expires_in')).toThrow(/^refresh_expires_in /);
  });

  test('describes a long string by its length instead of quoting it', () => {
    const secretish = 'x'.repeat(64);
    expect(() => parseExpiresIn(secretish)).toThrow('got a 64-character string');
    expect(() => parseExpiresIn(secretish)).not.toThrow(secretish);
  });
});

describe('parseAbsoluteExpiry', () => {
  const papayaValidUntil = Date.UTC(2024, 6, 11, 7, 48); // 1720684080000
  test.each([
    { value: '2024-07-11T07:48Z', ms: papayaValidUntil },
    { value: '2024-07-11T07:48:31Z', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T07:48:31.5Z', ms: papayaValidUntil + 31_500 },
    { value: '2024-07-11T07:48:31,25Z', ms: papayaValidUntil + 31_250 },
    { value: '2024-07-11T07:48:31.123456789Z', ms: papayaValidUntil + 31_123 },
    { value: '2024-07-11t07:48z', ms: papayaValidUntil },
    { value: '2024-07-11 07:48:31Z', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T09:48+02:00', ms: papayaValidUntil },
    { value: '2024-07-11T09:48:31+0200', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T09:48+02', ms: papayaValidUntil },
    { value: '2024-07-11T02:18-0530', ms: papayaValidUntil },
    { value: '2024-07-11T02:18:00-05:30', ms: papayaValidUntil },
    { value: '2024-07-11T07:48', ms: papayaValidUntil },
    { value: '2024-07-11T07:48:31.5', ms: papayaValidUntil + 31_500 },
    { value: ' 2024-07-11T07:48Z ', ms: papayaValidUntil },
    { value: '2024-07-11', ms: Date.UTC(2024, 6, 11) },
    { value: '2024-02-29T00:00Z', ms: Date.UTC(2024, 1, 29) },
    { value: 1_720_684_080, ms: papayaValidUntil },
    { value: '1720684080', ms: papayaValidUntil },
    { value: 1_720_684_080.5, ms: papayaValidUntil + 500 },
    { value: 1_720_684_080_000, ms: papayaValidUntil },
    { value: '1720684080000', ms: papayaValidUntil },
    // Epoch seconds below 1e12, milliseconds from 1e12 on.
    { value: 999_999_999_999, ms: 999_999_999_999_000 },
    { value: 1e12, ms: 1e12 },
    { value: 1e12 + 1, ms: 1e12 + 1 },
  ])('$value is $ms', ({ value, ms }) => {
    expect(parseAbsoluteExpiry(value)).toBe(ms);
  });

  test.each([undefined, null, ''])('%j is absent', (value) => {
    expect(parseAbsoluteExpiry(value)).toBeUndefined();
  });

  test.each([
    '2024-02-30T00:00Z',
    '2023-02-29T00:00Z',
    '2024-13-01T00:00Z',
    '2024-00-10T00:00Z',
    '2024-07-32',
    '2024-07-11T24:00Z',
    '2024-07-11T07:60Z',
    '2024-07-11T07:48:60Z',
    '2024-07-11T07:48+19:00',
    '2024-07-11T07:48+02:75',
    '2024-07-11T07Z',
    '11/07/2024',
    'tomorrow',
    '-1720684080',
    '1e12',
    -1,
    0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e15,
    true,
    {},
    [1_720_684_080],
  ])('rejects %j with a RangeError naming the field', (value) => {
    expect(() => parseAbsoluteExpiry(value)).toThrow(RangeError);
    expect(() => parseAbsoluteExpiry(value)).toThrow(/^expires_at must be an ISO 8601 date-time/);
    expect(() => parseAbsoluteExpiry(value, 'valid_until')).toThrow(/^valid_until /);
  });
});

describe('jwtExpiry', () => {
  test('reads exp from the seed 002 (Papaya) token', () => {
    expect(jwtExpiry(papayaJwt)).toBe(1_720_684_111_000);
  });

  test('reads a fractional exp from the seed 004 (partner) token, rounded to the ms', () => {
    expect(jwtExpiry(partnerJwt)).toBe(1_710_223_631_577);
  });

  test('decodes a UTF-8 payload', () => {
    expect(jwtExpiry(jwt({ name: 'Zoë 東京', exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
  });

  test.each([
    { name: 'an opaque token', token: 'xxxxxxxxxxxxxxxxxxxxxx' },
    { name: 'two segments', token: 'eyJhbGciOiJub25lIn0.eyJleHAiOjF9' },
    { name: 'five segments (JWE)', token: `${jwt({ exp: 1 })}.a.b` },
    { name: 'an empty payload', token: 'eyJhbGciOiJub25lIn0..sig' },
    { name: 'a payload that is not base64', token: 'eyJhbGciOiJub25lIn0.!!!.sig' },
    {
      name: 'a payload that is not JSON',
      token: `h.${Buffer.from('not json').toString('base64url')}.s`,
    },
    { name: 'a null payload', token: jwt(null) },
    { name: 'no exp claim', token: jwt({ iat: 1_700_000_000 }) },
    { name: 'a string exp', token: jwt({ exp: '1700000000' }) },
    { name: 'a negative exp', token: jwt({ exp: -5 }) },
    { name: 'a zero exp', token: jwt({ exp: 0 }) },
  ])('is undefined for $name', ({ token }) => {
    expect(jwtExpiry(token)).toBeUndefined();
  });
});

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
