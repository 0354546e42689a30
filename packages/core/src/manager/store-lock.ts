/**
 * The store's lock around a renewal: with a store that has `lock()` (Redis), one process of a
 * fleet sends the token request while the others wait for the token it stores.
 *
 * @module
 */
import { tokenFreshness } from '../expiry.ts';
import { sleep } from '../internal/backoff.ts';
import type { Token } from '../token.ts';
import { type RenewalIntent, startTimerFor } from './renewal-intent.ts';
import type { ManagerSettings } from './settings.ts';
import type { Release, StoreEntry } from './store-entry.ts';

/**
 * How the lock went:
 * - `locked`: this renewal holds it (or the store could not say, down or hung: a release that
 *   does nothing), and sends the token request;
 * - `renewed elsewhere`: another process held it and stored a newer token: use it;
 * - `unlocked`: the store has no lock, or the holder's lock never freed: send the request anyway.
 */
export type LockOutcome =
  | { readonly kind: 'locked'; readonly release: Release }
  | { readonly kind: 'renewed elsewhere'; readonly token: Token }
  | { readonly kind: 'unlocked' };

/** The renewal that wants the lock. */
export interface LockingRenewal {
  readonly intent: RenewalIntent;
  /** The cached token when the renewal started: the stored token must be another. */
  readonly started: Token | undefined;
  readonly signal: AbortSignal;
}

const unlocked: LockOutcome = { kind: 'unlocked' };

/**
 * Takes the entry's lock, or waits for the lock holder's token, polling the store (25 ms,
 * doubling to 500 ms, with jitter). A forced renewal only takes a token issued after the one it
 * started from. A lock that never frees (a store bug) must not stall us: after two lock lifetimes
 * the renewal goes on without it. A crashed holder's lock expires after `lockTtlMs`, and the next
 * `lock()` takes over.
 *
 * @example
 * ```ts
 * const lock = await lockOrWait(entry, settings, { intent: 'needed', started, signal });
 * if (lock.kind === 'renewed elsewhere') return cache.hold(lock.token);
 * ```
 */
export async function lockOrWait(
  entry: StoreEntry,
  settings: Pick<ManagerSettings, 'lockTtlMs' | 'now' | 'random' | 'policy'>,
  { intent, started, signal }: LockingRenewal,
): Promise<LockOutcome> {
  if (!entry.locks) return unlocked;
  const { lockTtlMs, now, random, policy } = settings;
  const startTimer = startTimerFor(intent);
  const giveUpAt = now() + 2 * lockTtlMs;
  for (let attempt = 0; ; attempt++) {
    const release = await entry.lock(lockTtlMs, startTimer);
    if (release) return { kind: 'locked', release };
    await sleep(Math.min(25 * 2 ** attempt, 500) * (0.5 + random() / 2), signal, startTimer);
    const stored = await entry.get(startTimer);
    const newer =
      stored !== undefined &&
      stored.accessToken !== started?.accessToken &&
      (intent !== 'forced' ||
        (stored.issuedAt ?? 0) > (started?.issuedAt ?? Number.NEGATIVE_INFINITY));
    if (newer && tokenFreshness(stored, now(), policy) !== 'expired') {
      return { kind: 'renewed elsewhere', token: stored };
    }
    if (now() > giveUpAt) return unlocked;
  }
}
