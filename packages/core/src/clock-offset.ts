/**
 * The server's clock against ours: the offset a `Date` header tells, and how far it is believed
 * when an absolute expiry is put on our clock. Pure functions of their arguments.
 *
 * @module
 */

/**
 * The largest clock offset a `Date` header is believed for: 24 hours. Real clocks drift by
 * seconds or minutes (a wrong time zone by hours); beyond a day, either the server's clock or its
 * `Date` header is broken (epoch 0, a fixed or far-future date), and {@link resolveExpiresAt} no
 * longer corrects by it blindly.
 *
 * @example
 * ```ts
 * Math.abs(clockOffset(dateHeader, sentAt)) > maxClockOffsetMs; // a Date header not to believe
 * ```
 */
export const maxClockOffsetMs: number = 24 * 60 * 60 * 1000;

/**
 * The server's clock minus ours, as far as the response's `Date` header tells, rounded so that
 * corrected expiries err early, never late: `Date` has whole seconds, so the server's clock read
 * anything up to 999 ms past it, and the answer was made after we sent the request. Subtract it
 * from a server-issued absolute time to get ours. 0 when there is no usable header.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1
 * @example
 * ```ts
 * clockOffset('Sun, 22 Nov 2026 03:00:00 GMT', Date.parse('2026-11-22T02:00:00Z')); // 3_600_999
 * ```
 */
export function clockOffset(dateHeader: string | null | undefined, sentAt: number): number {
  if (!dateHeader) return 0;
  const serverNow = Date.parse(dateHeader);
  return Number.isFinite(serverNow) ? serverNow + 999 - sentAt : 0;
}

/**
 * A server-issued absolute expiry on our clock. Within {@link maxClockOffsetMs} the `Date` header
 * is believed and the expiry corrected by it. Beyond, the header and the expiry disagree about
 * which clock is wrong: a server whose `Date` alone is broken wrote the expiry on the true clock,
 * a server whose clock is off wrote both on its own. Of the two readings, corrected and as
 * written, the one that leaves the shorter positive lifetime wins: renewing early is harmless,
 * while the other reading would make the token live for decades or be expired on arrival.
 *
 * @example
 * ```ts
 * localExpiry(Date.parse('2080-01-01T01:00Z'), Date.parse('2080-01-01T00:00Z') - now, now); // now + 1 h
 * ```
 */
export function localExpiry(absolute: number, offset: number, receivedAt: number): number {
  const corrected = absolute - offset;
  if (Math.abs(offset) <= maxClockOffsetMs) return corrected;
  const alive = [corrected, absolute].filter((at) => at > receivedAt);
  return alive.length > 0 ? Math.min(...alive) : absolute;
}
