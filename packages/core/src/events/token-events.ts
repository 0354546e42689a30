/**
 * A manager's events: built only when someone listens (`onEvent`, a `tokenwise:<type>`
 * diagnostics channel subscriber, or `NODE_DEBUG=tokenwise`), then handed to each. The object
 * that builds them is itself made the first time someone listens (see `manager/lazy-events.ts`).
 *
 * @module
 */
import type { Flow } from '../flows/flow.ts';
import type { Token } from '../token.ts';
import { tokenwiseDebugLog } from './diagnostics.ts';
import { channelOf, listensFor, listensForAny } from './listeners.ts';
import { endpointOf, errorSummary, originOf } from './safe-fields.ts';
import type {
  ReauthorizationEvent,
  StoreErrorEvent,
  TokenCacheHitEvent,
  TokenEvent,
  TokenEventBase,
} from './token-event.ts';

/**
 * What {@link TokenEvents} needs from the manager's options.
 *
 * @example
 * ```ts
 * const settings: TokenEventSettings = { flow, now: Date.now, onEvent: console.log, onError: undefined };
 * ```
 */
export interface TokenEventSettings {
  readonly flow: Flow;
  readonly now: () => number;
  readonly onEvent: ((event: TokenEvent) => void) | undefined;
  readonly onError: ((error: unknown) => void) | undefined;
}

/**
 * The events of one manager. Each method checks first whether anyone listens for its type, and
 * builds nothing when nobody does: unobserved, an event costs a property read and a check of a
 * channel's `hasSubscribers`.
 *
 * A throwing `onEvent` never breaks token work: its error goes to `onError` when given, else it
 * is thrown again in a microtask, out of the manager's way (as a throwing diagnostics channel
 * subscriber is on Node: an uncaught exception the process reports).
 *
 * @example
 * ```ts
 * const events = new TokenEvents({ flow, now: Date.now, onEvent: console.log, onError: undefined });
 * events.keyFrom({ key: () => storeKey(settings) }, undefined); // the digest, when someone listens
 * events.cacheHit('fresh', token);
 * ```
 */
export class TokenEvents {
  // The settings' fields, read by every event.
  readonly #flow: Flow;
  readonly #now: () => number;
  readonly #onEvent: TokenEventSettings['onEvent'];
  readonly #onError: TokenEventSettings['onError'];
  /** The token endpoint as events show it, worked out for the first event (idle managers never). */
  #tokenUrl: string | undefined;
  #cacheKey: string | undefined;
  /** Works the cache key out (a digest: asynchronous), once someone listens. */
  #keyOf: { key(): Promise<string> } | undefined;
  /** The digest under way, shared by every caller meanwhile (see {@link TokenEvents.identify}). */
  #identifying: Promise<void> | undefined;

  constructor(settings: TokenEventSettings) {
    this.#flow = settings.flow;
    this.#now = settings.now;
    this.#onEvent = settings.onEvent;
    this.#onError = settings.onError;
  }

  /**
   * Tells where the cache key comes from: the `cacheKey` option as given, known at once; else
   * `keyOf.key()` (the manager's store key, a digest worked out when someone listens).
   */
  keyFrom(keyOf: { key(): Promise<string> }, given: string | undefined): void {
    this.#keyOf = keyOf;
    this.#cacheKey = given;
  }

  /**
   * Whether the cache key is still to be worked out for someone listening: then a renewal, or a
   * caller waiting for one, awaits {@link TokenEvents.identify} first. Nobody listening, no
   * digest is made, and nothing waits.
   */
  get keyWanted(): boolean {
    return (
      this.#cacheKey === undefined && this.#keyOf !== undefined && listensForAny(this.#onEvent)
    );
  }

  /**
   * Works the cache key out (see {@link TokenEvents.keyWanted}): one digest for every caller that
   * asks meanwhile, so that concurrent cache misses resume together and share one renewal (each
   * awaiting a digest of its own, one could resume after the first renewal ended and start
   * another). A digest that fails is tried again by the next caller.
   */
  identify(): Promise<void> {
    this.#identifying ??= this.#workOutKey().finally(() => {
      this.#identifying = undefined;
    });
    return this.#identifying;
  }

  async #workOutKey(): Promise<void> {
    if (this.#keyOf !== undefined) this.#cacheKey ??= await this.#keyOf.key();
  }

  /** Whether anyone listens for events of `type`. */
  wants(type: TokenEvent['type']): boolean {
    return listensFor(this.#onEvent, type);
  }

  /**
   * The fields every event carries, stamped now. Before the cache key is known (someone started
   * listening since the last renewal), `tokenwise:<grant>`, while it is worked out.
   */
  base(): TokenEventBase {
    const flow = this.#flow;
    const now = this.#now;
    // Meanwhile a placeholder; a digest that fails goes where the manager's errors go.
    if (this.keyWanted) this.identify().catch((error: unknown) => this.#onError?.(error));
    this.#tokenUrl ??= endpointOf(flow.tokenUrl);
    return {
      time: now(),
      cacheKey: this.#cacheKey ?? `tokenwise:${flow.kind}`,
      grant: flow.kind,
      tokenUrl: this.#tokenUrl,
    };
  }

  /** Time left until `token` expires, in ms; `undefined` when its lifetime is unknown. */
  expiresIn(token: Token | undefined): number | undefined {
    const expiresAt = token?.expiresAt;
    return expiresAt === undefined ? undefined : expiresAt - this.#now();
  }

  /** `getToken()` answered from the cache: once per such call, so built without spreads. */
  cacheHit(freshness: TokenCacheHitEvent['freshness'], token: Token | undefined): void {
    if (!this.wants('token.cache_hit')) return;
    const { time, cacheKey, grant, tokenUrl } = this.base();
    const expiresInMs = token?.expiresAt === undefined ? undefined : token.expiresAt - time;
    this.emit({ type: 'token.cache_hit', time, cacheKey, grant, tokenUrl, freshness, expiresInMs });
  }

  /** `getToken()` waits for a renewal: one it forced, or one it needs (no usable token). */
  cacheMiss(reason: 'forced' | 'needed'): void {
    if (!this.wants('token.cache_miss')) return;
    this.emit({ type: 'token.cache_miss', ...this.base(), reason });
  }

  /** A renewal ahead of expiry starts. */
  refreshAhead(token: Token | undefined): void {
    if (!this.wants('token.refresh_ahead')) return;
    const expiresInMs = this.expiresIn(token);
    this.emit({ type: 'token.refresh_ahead', ...this.base(), expiresInMs });
  }

  /** `invalidate()` dropped the cached token. */
  invalidated(): void {
    if (this.wants('token.invalidated')) this.emit({ type: 'token.invalidated', ...this.base() });
  }

  /** A new token is stored; `previousRefreshToken` is the refresh token the request sent. */
  stored(token: Token, previousRefreshToken: string | undefined): void {
    const { refreshToken } = token;
    if (previousRefreshToken === undefined || refreshToken === undefined) return;
    if (refreshToken === previousRefreshToken || !this.wants('token.refresh_token_rotated')) return;
    this.emit({ type: 'token.refresh_token_rotated', ...this.base() });
  }

  /** An adapter's decision about a rejected token; only the origin of `url` is kept. */
  reauthorization(decision: ReauthorizationEvent['decision'], url: string | URL): void {
    if (!this.wants('reauthorization')) return;
    this.emit({ type: 'reauthorization', ...this.base(), decision, origin: originOf(url) });
  }

  /** A store operation failed or timed out. */
  storeError(operation: StoreErrorEvent['operation'], error: unknown): void {
    if (!this.wants('store.error')) return;
    this.emit({ type: 'store.error', ...this.base(), operation, error: errorSummary(error) });
  }

  /** Hands `event` to `onEvent`, its channel's subscribers and the debug log. */
  emit(event: TokenEvent): void {
    const onEvent = this.#onEvent;
    if (onEvent !== undefined) {
      try {
        onEvent(event);
      } catch (error) {
        this.#handlerFailed(error);
      }
    }
    const channel = channelOf(event.type);
    if (channel?.hasSubscribers === true) channel.publish(event);
    tokenwiseDebugLog()?.(`${event.type} ${JSON.stringify(event)}`);
  }

  #handlerFailed(error: unknown): void {
    const onError = this.#onError;
    if (onError !== undefined) {
      onError(error);
      return;
    }
    queueMicrotask(() => {
      throw error;
    });
  }
}
