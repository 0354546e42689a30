/**
 * Which events belong to which manager: adapters hold a `TokenManager`, and report what they
 * decide (a re-authorization) as that manager's events.
 *
 * @module
 */
import type { TokenEvents } from './token-events.ts';

const registered = new WeakMap<object, TokenEvents>();

/**
 * Makes `events` the events of `manager`.
 *
 * @example
 * ```ts
 * registerEvents(this, settings.events); // in the manager's constructor
 * ```
 */
export function registerEvents(manager: object, events: TokenEvents): void {
  registered.set(manager, events);
}

/**
 * The events of `manager`, or `undefined` for a manager `createTokenManager` did not make (a
 * wrapper of the user's): its adapter decisions are not reported.
 *
 * @example
 * ```ts
 * eventsOf(tokens)?.reauthorization('renew', url);
 * ```
 */
export function eventsOf(manager: object): TokenEvents | undefined {
  return registered.get(manager);
}
