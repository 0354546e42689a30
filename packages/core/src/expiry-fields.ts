/**
 * Reading a token's expiry from a token endpoint's answer: `expires_in`, absolute dates (ISO 8601
 * or epoch), a JWT's `exp`, corrected for the server's clock. Pure functions of their arguments.
 *
 * @module
 */

import { clockOffset, localExpiry } from './clock-offset.ts';

/**
 * Parses a relative lifetime (`expires_in`): a non-negative number of seconds, or a numeric string.
 * Returns milliseconds; `undefined` when absent. Throws `RangeError` naming the field otherwise.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @example
 * ```ts
 * parseExpiresIn('3600'); // 3_600_000
 * ```
 */
export function parseExpiresIn(value: unknown, field = 'expires_in'): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds =
    typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (
    typeof seconds !== 'number' ||
    !Number.isFinite(seconds) ||
    seconds < 0 ||
    seconds * 1000 > Number.MAX_SAFE_INTEGER
  ) {
    throw new RangeError(
      `${field} must be a non-negative number of seconds, got ${describe(value)}`,
    );
  }
  return Math.round(seconds * 1000);
}

const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an absolute expiry into epoch milliseconds: ISO 8601 with or without seconds (Papaya's
 * `"2024-07-11T07:48Z"`; no offset means UTC), or a number / numeric string of epoch seconds
 * (below 1e12) or epoch milliseconds. Throws `RangeError` naming the field for anything else.
 *
 * @example
 * ```ts
 * parseAbsoluteExpiry('2024-07-11T07:48Z'); // 1720684080000
 * parseAbsoluteExpiry(1720684080);          // 1720684080000
 * ```
 */
export function parseAbsoluteExpiry(value: unknown, field = 'expires_at'): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (
    typeof value === 'number' ||
    (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))
  ) {
    const n = Number(value);
    if (Number.isFinite(n) && n > 0 && n < 1e12 * 1000) return Math.round(n < 1e12 ? n * 1000 : n);
  } else if (typeof value === 'string') {
    const ms = parseIsoDateTime(value.trim());
    if (ms !== undefined) return ms;
  }
  throw new RangeError(
    `${field} must be an ISO 8601 date-time or an epoch timestamp, got ${describe(value)}`,
  );
}

function parseIsoDateTime(text: string): number | undefined {
  const match = isoDateTime.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const utc = Date.UTC(...parts) + Math.round(Number(`0.${fraction || '0'}`) * 1000);
  const check = new Date(Date.UTC(...parts));
  // Reject 2024-02-30, 25:00 and the like, which Date.UTC would roll over silently.
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] ||
    check.getUTCDate() !== parts[2] ||
    check.getUTCHours() !== parts[3] ||
    check.getUTCMinutes() !== parts[4] ||
    check.getUTCSeconds() !== parts[5]
  ) {
    return undefined;
  }
  if (zone === 'Z' || zone === 'z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const zoneMinutes = Number(digits.slice(2) || '0');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + zoneMinutes;
  if (offsetMinutes > 18 * 60 || zoneMinutes > 59) return undefined;
  return utc - sign * offsetMinutes * 60_000;
}

/**
 * Reads the `exp` claim of a JWT (decode only, no signature check), in epoch milliseconds, or
 * `undefined` when the token is not a JWT or has no numeric `exp`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 * @example
 * ```ts
 * jwtExpiry(accessToken); // 1720684111000
 * ```
 */
export function jwtExpiry(accessToken: string): number | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const json: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    const exp = (json as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0
      ? Math.round(exp * 1000)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The clock readings around one token request, and the expiry fields of its answer. */
export interface ExpiryInput {
  /** `expires_in` (seconds, number or numeric string). */
  readonly expiresIn?: unknown;
  /** An absolute expiry (ISO 8601 or epoch), on the server's clock. */
  readonly expiresAt?: unknown;
  /** The access token, for the JWT `exp` fallback. */
  readonly accessToken: string;
  /** When the token request was sent (epoch ms, local clock). */
  readonly sentAt: number;
  /** When the answer arrived (epoch ms, local clock). */
  readonly receivedAt: number;
  /** The answer's `Date` header, to correct absolute expiries for clock offset. */
  readonly dateHeader?: string | null | undefined;
  /** Lifetime to assume when the answer gives none; undefined = unknown (reuse until a 401). */
  readonly defaultLifetimeMs?: number | undefined;
}

/**
 * Resolves when a token expires on the local clock. Precedence: `expires_in` (counted from when
 * the request was sent), then an absolute expiry, then the JWT `exp` claim (both put on our clock
 * by {@link localExpiry}), then `defaultLifetimeMs`; `undefined` when none applies.
 *
 * @example
 * ```ts
 * resolveExpiresAt({ expiresIn: 3600, accessToken, sentAt: 0, receivedAt: 120 }); // 3_600_000
 * ```
 */
export function resolveExpiresAt(input: ExpiryInput): number | undefined {
  const relative = parseExpiresIn(input.expiresIn);
  if (relative !== undefined) return input.sentAt + relative;
  const absolute = parseAbsoluteExpiry(input.expiresAt) ?? jwtExpiry(input.accessToken);
  if (absolute !== undefined)
    return localExpiry(absolute, clockOffset(input.dateHeader, input.sentAt), input.receivedAt);
  return input.defaultLifetimeMs === undefined ? undefined : input.sentAt + input.defaultLifetimeMs;
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}
