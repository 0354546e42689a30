/**
 * Compare-and-invalidate: drop a token only if it is still the one cached or stored.
 *
 * @module
 */
import { awaitedTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';
import { eventsFor } from './lazy-events.ts';
import type { ManagerParts } from './manager-parts.ts';

/**
 * Drops `accessToken` if it is still the newest token known (the store's, else the cache's): it
 * is marked expired (kept for its refresh token) or deleted. A newer token in the store is taken
 * instead, and nothing is dropped. Resolves whether the token was dropped.
 *
 * @example
 * ```ts
 * await invalidateCached(sentToken.accessToken, { cache, entry, lifetime, settings });
 * ```
 */
export async function invalidateCached(
  accessToken: string,
  { cache, entry, lifetime, settings }: ManagerParts,
): Promise<boolean> {
  // Side by side with any renewal: a read that raced a change of the cache is not trusted, and
  // the decision below is then made on the cache alone.
  const stored = await cache.readUnlessChanged(entry, awaitedTimer);
  lifetime.throwIfClosed();
  const mine = cache.token?.accessToken === accessToken ? cache.token : undefined;
  if (stored !== undefined && stored.accessToken !== accessToken) {
    // The store already holds a newer token: take it instead of dropping anything.
    if (mine) cache.hold(stored);
    return false;
  }
  const token = stored ?? mine;
  if (token === undefined) return false;
  const live = token.expiresAt === undefined || token.expiresAt > settings.now();
  const revoked: Token = { ...token, expiresAt: settings.now() };
  if (mine) cache.hold(revoked);
  if (token.refreshToken !== undefined) await entry.set(revoked, awaitedTimer);
  else await entry.delete(awaitedTimer);
  if (live) eventsFor(settings, 'token.invalidated')?.invalidated();
  return true;
}
