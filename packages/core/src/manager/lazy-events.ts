/**
 * A manager's events ({@link TokenEvents}), made the first time someone listens: an idle manager
 * that nobody observes holds none. They are kept in the manager's settings, which every part of
 * the manager (a renewal, a store operation, an invalidation) already reads.
 *
 * @module
 */

import { listensFor, listensForAny } from '../events/listeners.ts';
import type { TokenEvent } from '../events/token-event.ts';
import { type TokenEventSettings, TokenEvents } from '../events/token-events.ts';
import { type StoreKeySettings, storeKey } from './cache-key.ts';

/**
 * Where a manager's events are kept once made: its settings, which also say who listens
 * (`onEvent`) and what the cache key that events carry is made of.
 *
 * @example
 * ```ts
 * const holder: EventsHolder = { flow, now: Date.now, onEvent, onError: undefined, cacheKey: undefined, events: undefined };
 * ```
 */
export interface EventsHolder extends TokenEventSettings, StoreKeySettings {
  /** The events, once someone listened; `undefined` until then. */
  events?: TokenEvents | undefined;
}

/**
 * The manager's events, made now if they were not yet (an adapter reporting a decision, a token
 * request someone traces).
 *
 * @example
 * ```ts
 * managerEvents(settings).emit(event);
 * ```
 */
export function managerEvents(holder: EventsHolder): TokenEvents {
  let events = holder.events;
  if (events === undefined) {
    events = new TokenEvents(holder);
    // The key events carry: the given one at once, else worked out when someone listens.
    // With DPoP the store key goes on past the given one (`:dpop:<thumbprint>`): worked out too.
    const known = holder.dpop === undefined ? holder.cacheKey : undefined;
    events.keyFrom({ key: () => storeKey(holder) }, known);
    holder.events = events;
  }
  return events;
}

/**
 * The manager's events when someone listens for events of `type` (for any event when no type is
 * given), or when they were made before; `undefined` otherwise, and nothing is made.
 *
 * @example
 * ```ts
 * eventsFor(settings, 'token.cache_hit')?.cacheHit('fresh', token);
 * const events = eventsFor(settings);
 * if (events?.keyWanted) await events.identify();
 * ```
 */
export function eventsFor(
  holder: EventsHolder,
  type?: TokenEvent['type'],
): TokenEvents | undefined {
  if (holder.events !== undefined) return holder.events;
  const { onEvent } = holder;
  const listening = type === undefined ? listensForAny(onEvent) : listensFor(onEvent, type);
  return listening ? managerEvents(holder) : undefined;
}
