/**
 * When a cached token is fresh, stale (renewed in the background) or expired: pure functions of
 * (token fields, clock readings, policy). No clock is read here; callers pass `now`, which the
 * manager takes from its injected `now()`. Reading an expiry from an answer: `expiry-fields.ts`.
 *
 * @module
 */

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
export const defaultExpiryPolicy: ExpiryPolicy = /* @__PURE__ */ Object.freeze({
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
