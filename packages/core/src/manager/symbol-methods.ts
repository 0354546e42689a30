/**
 * The methods a token manager has under symbols: `await using`, adapters' access to its events,
 * and what `console.log` shows.
 *
 * @module
 */
import { managerEventsKey } from '../events/manager-events.ts';
import { asyncDispose, inspectSymbol } from '../internal/symbols.ts';
import { eventsFor } from './lazy-events.ts';
import type { ManagerSettings } from './settings.ts';

/** A manager's prototype, as far as these methods go. */
interface ManagerPrototype {
  close(): Promise<void>;
}

/**
 * Puts the methods under symbols on `prototype`; `settingsOf` reads a manager's settings. Called
 * with the first manager, not at module load: a side effect there would keep the manager in every
 * bundle that imports anything from the package (and `isolatedDeclarations` cannot declare
 * methods under these symbols in the class).
 *
 * @example
 * ```ts
 * defineSymbolMethods(CachingTokenManager.prototype, (manager) => manager.#settings);
 * ```
 */
export function defineSymbolMethods<M extends ManagerPrototype>(
  prototype: M,
  settingsOf: (manager: M) => ManagerSettings,
): void {
  const methods = prototype as unknown as Record<symbol, unknown>;
  methods[asyncDispose] = prototype.close;
  /** Its events for adapters (see `eventsOf`), when someone listens. */
  methods[managerEventsKey] = function events(this: M) {
    return eventsFor(settingsOf(this));
  };
  /** What `console.log(tokens)` shows: the flow, never a token. */
  methods[inspectSymbol] = function inspect(this: M): string {
    const { flow } = settingsOf(this);
    return `TokenManager { flow: '${flow.kind}', tokenUrl: '${flow.tokenUrl}' }`;
  };
}
