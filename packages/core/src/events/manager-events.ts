/**
 * Which events belong to which manager: adapters hold a `TokenManager`, and report what they
 * decide (a re-authorization) as that manager's events.
 *
 * @module
 */
import type { TokenEvents } from './token-events.ts';

/**
 * The method under which a manager made by `createTokenManager` hands out its events (on its
 * prototype: a manager holds nothing for it).
 *
 * @example
 * ```ts
 * prototype[managerEventsKey] = function events() { return eventsFor(this.settings); };
 * ```
 */
export const managerEventsKey: unique symbol = Symbol('tokenwise.managerEvents');

/** A manager that hands out its events (see {@link managerEventsKey}). */
interface WithEvents {
  [managerEventsKey](): TokenEvents | undefined;
}

/**
 * The events of `manager` when someone listens, or `undefined`: nobody listens, or a manager
 * `createTokenManager` did not make (a wrapper of the user's), whose adapter decisions are not
 * reported.
 *
 * @example
 * ```ts
 * eventsOf(tokens)?.reauthorization('renew', url);
 * ```
 */
export function eventsOf(manager: object): TokenEvents | undefined {
  const events = (manager as Partial<WithEvents>)[managerEventsKey];
  return typeof events === 'function' ? events.call(manager) : undefined;
}
