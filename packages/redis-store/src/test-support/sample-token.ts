/**
 * A token as the manager stores it, with every field set and secrets that must never show in
 * Redis (when encrypted), in an error, or in what `inspect` prints.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import type { Token } from '@tokenwise/core';

/**
 * The access token of {@link sampleToken}.
 *
 * @example
 * ```ts
 * expect(inspect(error)).not.toContain(secretAccess);
 * ```
 */
export const secretAccess = 'access-9c1f0e7a-do-not-leak';

/**
 * The refresh token of {@link sampleToken}.
 *
 * @example
 * ```ts
 * expect(String(await client.get('tokenwise:k'))).not.toContain(secretRefresh);
 * ```
 */
export const secretRefresh = 'refresh-51d2b8aa-do-not-leak';

/**
 * A token with every field the store keeps: expiry, issue time, refresh token, scope and the raw
 * answer.
 *
 * @example
 * ```ts
 * await store.set('tokenwise:k', sampleToken, 60_000);
 * expect(await store.get('tokenwise:k')).toEqual(sampleToken);
 * ```
 */
export const sampleToken: Token = {
  accessToken: secretAccess,
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  issuedAt: 1_899_999_000_000,
  refreshToken: secretRefresh,
  scope: 'api:read api:write',
  raw: { access_token: secretAccess, refresh_token: secretRefresh, expires_in: 1000 },
};
