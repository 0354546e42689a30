/**
 * Expiry math: pure functions of (token fields, clock readings, options). No clock is read here;
 * callers pass `now`, which the manager takes from its injected `now()`.
 *
 * @module
 */

import { clockOffset, localExpiry } from './clock-offset.ts';

/**
 * How early a cached token stops being handed out, and how early it is renewed in the background.
 *
 * @example
 * ```ts
 * const policy: ExpiryPolicy = { leewayMs: 30_000, refreshAheadMs: 3_600_000 }; // seed 000: renew after 24 h of 25 h
 * ```
 */
export interface ExpiryPolicy {
  /**
   * A token is never handed out within this many ms of its expiry. Shrinks to a tenth of the
   * token's lifetime for short-lived tokens, so a 2 s token is still served for 1.8 s.
   * @default 30_000
   */
  readonly leewayMs: number;
  /**
   * Within this many ms of expiry (and outside the leeway), the cached token is still served while
   * one background refresh runs. Capped at half the token's lifetime.
   * @default 300_000
   */
  readonly refreshAheadMs: number;
}

/**
 * Defaults, and why: golang/oauth2 uses a 10 s leeway, Spring Security and Duende 60 s; 30 s
 * covers clock drift and a slow network round trip without wasting much of a short token.
 * Refresh-ahead of 5 min renews well before the leeway so steady traffic never waits. Seed 000
 * (a 25 h token to renew after 24 h) sets `refreshAheadMs: 3_600_000`.
 */
export const defaultExpiryPolicy: ExpiryPolicy = Object.freeze({
  leewayMs: 30_000,
  refreshAheadMs: 300_000,
});

/** Share of the lifetime the leeway may take at most. */
const maxLeewayShare = 0.1;
/** Share of the lifetime the refresh-ahead window may take at most. */
const maxRefreshAheadShare = 0.5;
/** Share of the refresh-ahead window over which the background refresh start is spread (jitter). */
const jitterShare = 0.25;

/**
 * Where a cached token stands at a given moment:
 * - `fresh`: serve it;
 * - `stale`: serve it, and start one background refresh;
 * - `expired`: inside the leeway or past expiry; never served, callers wait for a new token.
 */
export type TokenFreshness = 'fresh' | 'stale' | 'expired';

/**
 * The leeway and refresh-ahead windows, in ms before `expiresAt`, for a token with the given
 * lifetime (`Infinity` when unknown).
 *
 * @example
 * ```ts
 * expiryWindows(2_000, defaultExpiryPolicy); // { leewayMs: 200, refreshAheadMs: 1_000 }
 * ```
 */
export function expiryWindows(
  lifetimeMs: number,
  policy: ExpiryPolicy,
): { leewayMs: number; refreshAheadMs: number } {
  const leewayMs = Math.min(policy.leewayMs, lifetimeMs * maxLeewayShare);
  const refreshAheadMs = Math.max(
    leewayMs,
    Math.min(policy.refreshAheadMs, lifetimeMs * maxRefreshAheadShare),
  );
  return { leewayMs, refreshAheadMs };
}

/**
 * When a token turns stale (its refresh-ahead window starts) and when it counts as expired (its
 * leeway starts), in epoch ms: what {@link tokenFreshness} compares `now` with, worked out once
 * per token. `Infinity` for a token without expiry; `-Infinity` for one without a lifetime.
 * `jitter` in [0, 1) delays the start of the refresh-ahead window by up to a quarter of the window,
 * so a fleet does not renew in lock step.
 *
 * @example
 * ```ts
 * freshnessDeadlines({ expiresAt: 10_000, issuedAt: 0 }, defaultExpiryPolicy); // { staleAt: 5_000, expiredAt: 9_000 }
 * ```
 */
export function freshnessDeadlines(
  token: { readonly expiresAt?: number | undefined; readonly issuedAt?: number | undefined },
  policy: ExpiryPolicy,
  jitter = 0,
): { staleAt: number; expiredAt: number } {
  const { expiresAt, issuedAt } = token;
  if (expiresAt === undefined)
    return { staleAt: Number.POSITIVE_INFINITY, expiredAt: Number.POSITIVE_INFINITY };
  const lifetimeMs = issuedAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - issuedAt;
  if (!(lifetimeMs > 0))
    return { staleAt: Number.NEGATIVE_INFINITY, expiredAt: Number.NEGATIVE_INFINITY };
  const { leewayMs, refreshAheadMs } = expiryWindows(lifetimeMs, policy);
  return {
    staleAt: expiresAt - refreshAheadMs + jitter * jitterShare * (refreshAheadMs - leewayMs),
    expiredAt: expiresAt - leewayMs,
  };
}

/**
 * Classifies a token at `now` (see {@link freshnessDeadlines} for `jitter`).
 *
 * @example
 * ```ts
 * tokenFreshness({ expiresAt: 10_000, issuedAt: 0 }, 9_500, defaultExpiryPolicy); // 'expired' (leeway 1 s)
 * ```
 */
export function tokenFreshness(
  token: { readonly expiresAt?: number | undefined; readonly issuedAt?: number | undefined },
  now: number,
  policy: ExpiryPolicy,
  jitter = 0,
): TokenFreshness {
  return freshnessAt(now, freshnessDeadlines(token, policy, jitter));
}

/**
 * Classifies `now` against deadlines from {@link freshnessDeadlines}.
 *
 * @example
 * ```ts
 * freshnessAt(Date.now(), freshnessDeadlines(token, defaultExpiryPolicy)); // 'fresh'
 * ```
 */
export function freshnessAt(
  now: number,
  deadlines: { readonly staleAt: number; readonly expiredAt: number },
): TokenFreshness {
  if (now >= deadlines.expiredAt) return 'expired';
  return now >= deadlines.staleAt ? 'stale' : 'fresh';
}

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
