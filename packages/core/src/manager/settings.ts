/**
 * The options of `createTokenManager`, checked and completed with their defaults.
 *
 * @module
 */
import { readDpopOption } from '../dpop/dpop-option.ts';
import type { LazyDpopSession } from '../dpop/lazy-dpop-session.ts';
import type { TokenEvent } from '../events/token-event.ts';
import type { TokenEvents } from '../events/token-events.ts';
import { defaultExpiryPolicy, type ExpiryPolicy } from '../expiry.ts';
import type { Flow } from '../flows/flow.ts';
import { globalFetch } from '../internal/global-fetch.ts';
import {
  integerInRange,
  numberInRange,
  optionalFunction,
  requireHttps,
  requireNonEmptyString,
  requireObject,
} from '../internal/options.ts';
import type { RetryPolicy } from '../internal/send-token-request.ts';
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import { maxFailureBackoffMs } from './failure-window.ts';

/**
 * Everything a manager was configured with, every default filled in. See `TokenManagerOptions`
 * for what each means.
 *
 * @example
 * ```ts
 * const settings: ManagerSettings = readManagerOptions({ flow });
 * ```
 */
export interface ManagerSettings {
  readonly flow: Flow;
  /** `undefined`: no store was given, the manager's memory is the only cache. */
  readonly store: TokenStore | undefined;
  /** `undefined`: a digest of the flow's key material, worked out on first use. */
  readonly cacheKey: string | undefined;
  readonly now: () => number;
  readonly random: () => number;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly policy: ExpiryPolicy;
  readonly defaultLifetimeMs: number | undefined;
  readonly failureBackoffMs: number;
  readonly lockTtlMs: number;
  readonly storeTimeoutMs: number;
  readonly onTokenChange: ((token: Token) => void | Promise<void>) | undefined;
  readonly onError: ((error: unknown) => void) | undefined;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** The DPoP key and nonces (the `dpop` option); `undefined`: Bearer tokens only. */
  readonly dpop: LazyDpopSession | undefined;
  readonly onEvent: ((event: TokenEvent) => void) | undefined;
  /**
   * The manager's events, made the first time someone listens (see `lazy-events.ts`): an idle
   * manager nobody observes holds none.
   */
  events: TokenEvents | undefined;
}

const fn = 'createTokenManager';

/** The retry policy without a `retry` option. */
export const defaultRetry: RetryPolicy = /* @__PURE__ */ Object.freeze({
  limit: 2,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
});

/**
 * Checks the options of `createTokenManager` (typed or not: a caller in JavaScript may pass
 * anything) and fills in the defaults. Throws a `TypeError` or `RangeError` naming the option.
 *
 * @example
 * ```ts
 * const settings = readManagerOptions({ flow, timeoutMs: 5_000 });
 * ```
 */
export function readManagerOptions(options: unknown): ManagerSettings {
  requireObject(`${fn}: options`, options);
  const given = options as Readonly<Record<string, unknown>>;
  const flow = readFlow(given.flow);
  requireHttps(fn, flow.tokenUrl, given.allowInsecureHttp);
  // Without a `fetch` option, the global one is looked up at each token request, not now.
  const fetch = optionalFunction<typeof globalThis.fetch>(`${fn}: fetch`, given.fetch);
  const store = readStore(given.store);
  const cacheKey = given.cacheKey as string | undefined;
  if (cacheKey !== undefined) requireNonEmptyString(`${fn}: cacheKey`, cacheKey);
  const timeoutMs = numberInRange(`${fn}: timeoutMs`, given.timeoutMs, {
    min: 1,
    max: 300_000,
    fallback: 10_000,
  });
  const retry = readRetry(given.retry);
  const now = optionalFunction<() => number>(`${fn}: now`, given.now) ?? Date.now;
  const dpop = readDpopOption(given.dpop, now);
  const onError = optionalFunction<(error: unknown) => void>(`${fn}: onError`, given.onError);
  const onEvent = optionalFunction<(event: TokenEvent) => void>(`${fn}: onEvent`, given.onEvent);
  return {
    flow,
    store,
    cacheKey,
    now,
    random: optionalFunction<() => number>(`${fn}: random`, given.random) ?? Math.random,
    // With DPoP, every attempt of a token request carries a proof (see token-endpoint-proofs.ts).
    fetch: dpop ? dpop.withTokenEndpointProofs(fetch ?? globalFetch) : (fetch ?? globalFetch),
    timeoutMs,
    retry,
    policy: readPolicy(given.leewayMs, given.refreshAheadMs),
    defaultLifetimeMs:
      given.defaultLifetimeMs === undefined
        ? undefined
        : numberInRange(`${fn}: defaultLifetimeMs`, given.defaultLifetimeMs, {
            min: 1,
            max: Number.MAX_SAFE_INTEGER,
            fallback: 0,
          }),
    failureBackoffMs: numberInRange(`${fn}: failureBackoffMs`, given.failureBackoffMs, {
      min: 0,
      max: maxFailureBackoffMs,
      fallback: 1_000,
    }),
    lockTtlMs: numberInRange(`${fn}: lockTtlMs`, given.lockTtlMs, {
      min: 100,
      max: 3_600_000,
      fallback: slowestExchangeMs(timeoutMs, retry) + 5_000,
    }),
    storeTimeoutMs: numberInRange(`${fn}: storeTimeoutMs`, given.storeTimeoutMs, {
      min: 1,
      max: 60_000,
      fallback: 1_000,
    }),
    onTokenChange: optionalFunction<ManagerSettings['onTokenChange'] & {}>(
      `${fn}: onTokenChange`,
      given.onTokenChange,
    ),
    onError,
    waitUntil: optionalFunction<(promise: Promise<unknown>) => void>(
      `${fn}: waitUntil`,
      given.waitUntil,
    ),
    dpop,
    onEvent,
    events: undefined,
  };
}

/**
 * How long one token request takes at worst: every attempt timing out, with the longest backoff
 * (waits a server asks for with `Retry-After` can be longer: raise `lockTtlMs` for such servers).
 *
 * @example
 * ```ts
 * slowestExchangeMs(10_000, defaultRetry); // 40_000
 * ```
 */
export function slowestExchangeMs(timeoutMs: number, retry: RetryPolicy): number {
  return timeoutMs * (retry.limit + 1) + retry.maxDelayMs * retry.limit;
}

function readFlow(flow: unknown): Flow {
  const candidate = flow as Partial<Flow> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.tokenUrl !== 'string' ||
    typeof candidate.parse !== 'function'
  ) {
    throw new TypeError(`${fn}: flow must be a flow such as clientCredentials({ … })`);
  }
  return candidate as Flow;
}

function readStore(store: unknown): TokenStore | undefined {
  if (store === undefined) return undefined;
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof (store as Partial<TokenStore> | null)?.[method] !== 'function')
      throw new TypeError(`${fn}: store must implement ${method}()`);
  }
  return store as TokenStore;
}

function readPolicy(leewayMs: unknown, refreshAheadMs: unknown): ExpiryPolicy {
  if (leewayMs === undefined && refreshAheadMs === undefined) return defaultExpiryPolicy;
  return {
    leewayMs: numberInRange(`${fn}: leewayMs`, leewayMs, {
      min: 0,
      max: 3_600_000,
      fallback: defaultExpiryPolicy.leewayMs,
    }),
    refreshAheadMs: numberInRange(`${fn}: refreshAheadMs`, refreshAheadMs, {
      min: 0,
      max: 86_400_000,
      fallback: defaultExpiryPolicy.refreshAheadMs,
    }),
  };
}

function readRetry(retry: unknown): RetryPolicy {
  if (retry === undefined) return defaultRetry;
  if (retry === false) return { ...defaultRetry, limit: 0 };
  const limitRange = { min: 0, max: 10, fallback: defaultRetry.limit };
  if (typeof retry === 'number')
    return { ...defaultRetry, limit: integerInRange(`${fn}: retry`, retry, limitRange) };
  if (typeof retry !== 'object' || retry === null)
    throw new TypeError(`${fn}: retry must be a number, false or an object`);
  const policy = retry as Partial<Record<keyof RetryPolicy, unknown>>;
  return {
    limit: integerInRange(`${fn}: retry.limit`, policy.limit, limitRange),
    baseDelayMs: numberInRange(`${fn}: retry.baseDelayMs`, policy.baseDelayMs, {
      min: 0,
      max: 60_000,
      fallback: defaultRetry.baseDelayMs,
    }),
    maxDelayMs: numberInRange(`${fn}: retry.maxDelayMs`, policy.maxDelayMs, {
      min: 0,
      max: 300_000,
      fallback: defaultRetry.maxDelayMs,
    }),
    maxRetryAfterMs: numberInRange(`${fn}: retry.maxRetryAfterMs`, policy.maxRetryAfterMs, {
      min: 0,
      max: 3_600_000,
      fallback: defaultRetry.maxRetryAfterMs,
    }),
  };
}
