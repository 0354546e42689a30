import { describe, expect, test } from 'vitest';
import { clockOffset, localExpiry, maxClockOffsetMs } from './clock-offset.ts';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** An unsigned JWT with the given payload (the signature is never checked). */
function _jwt(payload: unknown): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
}

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
