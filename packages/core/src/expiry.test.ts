import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { clockOffset, localExpiry, maxClockOffsetMs } from './clock-offset.ts';
import {
  defaultExpiryPolicy,
  type ExpiryPolicy,
  expiryWindows,
  freshnessAt,
  freshnessDeadlines,
  jwtExpiry,
  parseAbsoluteExpiry,
  parseExpiresIn,
  resolveExpiresAt,
  tokenFreshness,
} from './expiry.ts';
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

describe('clockOffset', () => {
  // Date has whole seconds: the server read up to 999 ms more, so the offset errs that way.
  const sentAt = Date.parse('2026-11-22T02:00:00Z');
  test.each([
    { dateHeader: 'Sun, 22 Nov 2026 03:00:00 GMT', offset: hour + 999 },
    { dateHeader: 'Sun, 22 Nov 2026 01:00:00 GMT', offset: -hour + 999 },
    { dateHeader: 'Sun, 22 Nov 2026 02:00:00 GMT', offset: 999 },
    { dateHeader: 'Sun, 22 Nov 2026 02:00:01 GMT', offset: 1_999 },
    { dateHeader: 'Mon, 23 Nov 2026 02:00:00 GMT', offset: maxClockOffsetMs + 999 },
    { dateHeader: 'Sat, 21 Nov 2026 02:00:00 GMT', offset: -maxClockOffsetMs + 999 },
    // Beyond 24 h the offset is still what the header says: localExpiry decides what to believe.
    { dateHeader: 'Mon, 23 Nov 2026 02:00:01 GMT', offset: maxClockOffsetMs + 1_999 },
    { dateHeader: 'Thu, 01 Jan 1970 00:00:00 GMT', offset: 999 - sentAt },
    { dateHeader: 'not a date', offset: 0 },
    { dateHeader: '', offset: 0 },
    { dateHeader: null, offset: 0 },
    { dateHeader: undefined, offset: 0 },
  ])('$dateHeader gives $offset', ({ dateHeader, offset }) => {
    expect(clockOffset(dateHeader, sentAt)).toBe(offset);
  });
});

describe('localExpiry', () => {
  const now = Date.parse('2026-11-22T02:00:00Z');
  test.each([
    ['no offset', hour, 0, now + hour],
    [
      'an offset the Date header explains, up to 24 h exactly',
      hour + maxClockOffsetMs,
      maxClockOffsetMs,
      now + hour,
    ],
    ['the same, behind', hour - maxClockOffsetMs, -maxClockOffsetMs, now + hour],
    // Beyond 24 h: the shorter positive lifetime of the two readings.
    ['a broken Date far ahead, the expiry on our clock', hour, maxClockOffsetMs + 1, now + hour],
    ['a broken Date far behind, the expiry on our clock', hour, -40 * 365 * 24 * hour, now + hour],
    [
      'a server clock far ahead, expiry and Date on it',
      hour + 50 * 365 * 24 * hour,
      50 * 365 * 24 * hour,
      now + hour,
    ],
    ['a server clock 25 h behind, expiry and Date on it', hour - 25 * hour, -25 * hour, now + hour],
    [
      'both readings in the past: as written (expired on arrival)',
      -hour,
      30 * 24 * hour,
      now - hour,
    ],
  ])('%s', (_, lifetimeOnServer, offset, expected) => {
    expect(localExpiry(now + lifetimeOnServer, offset, now)).toBe(expected);
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
