/**
 * Records the events a manager reports (its `onEvent`), for tests that check them.
 *
 * @module
 */
import type { TokenEvent } from '../events/token-event.ts';

/**
 * Every event a manager reports, in order, and those of one type.
 *
 * @example
 * ```ts
 * const seen = recorder();
 * const tokens = manage({ onEvent: seen.onEvent });
 * expect(seen.of('token.obtained')).toHaveLength(1);
 * ```
 */
export function recorder() {
  const events: TokenEvent[] = [];
  const of = <T extends TokenEvent['type']>(type: T) =>
    events.filter((event): event is Extract<TokenEvent, { type: T }> => event.type === type);
  return { events, of, onEvent: (event: TokenEvent) => events.push(event) };
}
