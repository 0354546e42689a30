/**
 * The parts of one token manager that its renewals and invalidations work on.
 *
 * @module
 */
import type { Lifetime } from '../internal/lifetime.ts';
import type { ManagerSettings } from './settings.ts';
import type { StoreEntry } from './store-entry.ts';
import type { TokenCache } from './token-cache.ts';

/**
 * One manager's settings, store entry, cache and lifetime, as a renewal (`Renewer`,
 * `GrantSequence`) or `invalidateCached` takes them.
 *
 * @example
 * ```ts
 * const parts: ManagerParts = { settings, entry: storeEntryOf(settings, lifetime), cache, lifetime };
 * ```
 */
export interface ManagerParts {
  readonly settings: ManagerSettings;
  readonly entry: StoreEntry;
  readonly cache: TokenCache;
  readonly lifetime: Lifetime;
}
