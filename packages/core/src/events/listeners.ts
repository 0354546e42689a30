/**
 * Who listens to a manager's events: its `onEvent` option, a subscriber of a `tokenwise:<type>`
 * diagnostics channel, or the debug log (`NODE_DEBUG=tokenwise`).
 *
 * @module
 */
import { type Channel, diagnosticsChannel, tokenwiseDebugLog } from './diagnostics.ts';
import { type TokenEvent, tokenEventTypes } from './token-event.ts';

/** A manager's `onEvent` option. */
type OnEvent = ((event: TokenEvent) => void) | undefined;

/** Each event type's channel, made on first use; `null` where the runtime has none. */
const channels: { [Type in TokenEvent['type']]?: Channel | null } = {};

/**
 * The diagnostics channel of events of `type` (`tokenwise:<type>`), made on first use; `null`
 * where the runtime has none.
 *
 * @example
 * ```ts
 * channelOf('token.cache_hit')?.publish(event);
 * ```
 */
export function channelOf(type: TokenEvent['type']): Channel | null {
  let channel = channels[type];
  if (channel === undefined) {
    channel = diagnosticsChannel(`tokenwise:${type}`) ?? null;
    channels[type] = channel;
  }
  return channel;
}

/**
 * Whether anyone listens for events of `type`: `onEvent` (the manager's option), a subscriber of
 * its diagnostics channel, or the debug log.
 *
 * @example
 * ```ts
 * if (listensFor(settings.onEvent, 'token.cache_hit')) events.cacheHit('fresh', token);
 * ```
 */
export function listensFor(onEvent: OnEvent, type: TokenEvent['type']): boolean {
  return (
    onEvent !== undefined ||
    channelOf(type)?.hasSubscribers === true ||
    tokenwiseDebugLog() !== undefined
  );
}

/**
 * Whether anyone listens for any event (see {@link listensFor}).
 *
 * @example
 * ```ts
 * if (listensForAny(settings.onEvent)) await events.identify();
 * ```
 */
export function listensForAny(onEvent: OnEvent): boolean {
  return (
    onEvent !== undefined ||
    tokenwiseDebugLog() !== undefined ||
    tokenEventTypes.some((type) => channelOf(type)?.hasSubscribers === true)
  );
}
