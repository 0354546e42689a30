/// <reference types="ky" preserve="true" />
import {
  type AuthFetch,
  type AuthOptions,
  createAuthFetch,
  createAuthorizer,
  isReplayableBody,
  isTokenwiseError,
} from '@tokenwise/core';

/**
 * Options of {@link kyAuth}: core's `AuthOptions` plus the `fetch` ky should use underneath.
 *
 * @example
 * ```ts
 * const options: KyAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export interface KyAuthOptions extends AuthOptions {
  /**
   * The fetch that sends the requests. ky's own `fetch` option is taken by kyAuth: pass yours
   * here instead. @default globalThis.fetch
   */
  readonly fetch?:
    | ((input: string | URL | Request, init?: RequestInit) => Promise<Response>)
    | undefined;
}

/**
 * The per-request `context` kyAuth reads: `{ skipAuth: true }` sends the request without a token.
 *
 * @example
 * ```ts
 * await api.get('health', { context: { skipAuth: true } satisfies KyAuthContext });
 * ```
 */
export interface KyAuthContext {
  /** Send this request without the token and extra headers. @default false */
  readonly skipAuth?: boolean | undefined;
}

declare module 'ky' {
  interface Options {
    /** User data for hooks; `skipAuth: true` sends the request without a token (kyAuth). */
    context?: KyAuthContext & Record<string, unknown>;
  }
}

/**
 * The ky options {@link kyAuth} returns, for `ky.create()` or `.extend()` (ky 1 and ky 2).
 *
 * @example
 * ```ts
 * const defaults: KyAuthDefaults = kyAuth({ tokens });
 * const api = ky.create({ ...defaults, prefix: 'https://api.example.com' });
 * ```
 */
export interface KyAuthDefaults {
  /** Adds the token to the requests the hooks marked, handles a 401 and guards redirects. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  hooks: {
    init: ((options: InitHookOptions) => void)[];
    beforeRequest: ((state: unknown, options?: unknown) => void)[];
    beforeRetry: ((state: { readonly error: unknown }) => void)[];
  };
}

/**
 * The options ky 2 hands to `init` hooks, which may change them for this one request: kyAuth
 * picks the request's `fetch` there.
 *
 * @example
 * ```ts
 * const [pickFetch] = kyAuth({ tokens }).hooks.init;
 * ```
 */
export interface InitHookOptions extends HookOptions {
  fetch?: unknown;
  hooks?: { readonly beforeRequest?: readonly unknown[] | undefined } | undefined;
}

/** Whether a request's body can be sent again (after a 401, on a 307/308), or only once. */
type Mode = 'replay' | 'once';

/** The normalized options ky hands to hooks (ky 1: `prefixUrl`; ky 2: `prefix`, `baseUrl`). */
interface HookOptions {
  readonly context?: KyAuthContext | undefined;
  readonly body?: unknown;
  readonly fetch?: unknown;
  readonly prefix?: string | URL | undefined;
  readonly prefixUrl?: string | URL | undefined;
  readonly baseUrl?: string | URL | undefined;
}

/**
 * ky options that give every request to an allowed origin `Authorization: Bearer <token>` plus the
 * extra headers, and answer a 401 by one re-send with a fresh token. The default allowed origin is
 * the origin of the instance's `prefix`/`baseUrl` (ky 2) or `prefixUrl` (ky 1); with none, every
 * request. `context: { skipAuth: true }` opts a request out.
 *
 * The token is added inside ky's `fetch`, so ky's timeout covers the token wait, each of ky's own
 * retries carries a current token, and redirects are followed by tokenwise: the token and the extra
 * headers never cross to another origin. A streamed body is sent once: its 401 is returned.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * import ky from 'ky';
 * import { kyAuth } from '@tokenwise/ky-auth';
 *
 * const api = ky.create({ ...kyAuth({ tokens }), prefix: 'https://api.example.com/v1' });
 * const members = await api.get('members').json();
 * ```
 */
export function kyAuth(options: KyAuthOptions): KyAuthDefaults {
  createAuthorizer(options); // validates the options now rather than on the first request
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new TypeError('kyAuth: fetch must be a function');
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // The hooks mark requests with this header; only this adapter's fetch knows its name.
  const mark = `x-tokenwise-${crypto.randomUUID()}`;
  const misuse = new WeakSet<object>();

  // One createAuthFetch per replay mode and default origin: its authorizer keeps state across
  // requests (headers to guard on redirects, a token refused on a re-send).
  const authFetches = { replay: new Map<string, AuthFetch>(), once: new Map<string, AuthFetch>() };
  const authFetchFor = (mode: Mode, origin: string): AuthFetch => {
    let authFetch = authFetches[mode].get(origin);
    if (authFetch === undefined) {
      const replay = mode === 'replay';
      authFetch = createAuthFetch({
        ...options,
        origins: options.origins ?? (origin ? [origin] : undefined),
        retryOn401: replay && options.retryOn401 !== false,
        // A streamed body is not copied: ky holds no copy of it either.
        replayRequestBodies: replay,
        // ky's Request is its own and sent once; the headers are put back before ky sees it again.
        setHeadersInPlace: true,
        fetch: baseFetch,
      });
      authFetches[mode].set(origin, authFetch);
    }
    return authFetch;
  };

  // ky 1: the hook marked the request with `<mode> <default origin>`.
  const fetch: KyAuthDefaults['fetch'] = (input, init) => {
    const value = input instanceof Request ? input.headers.get(mark) : null;
    if (value === null) return baseFetch(input, init);
    (input as Request).headers.delete(mark);
    // Headers trim values: with no default origin, the value is the mode alone.
    const [mode, origin = ''] = value.split(' ');
    // ky passes its fetch-only options (undici's `dispatcher`) as `init`: they go along.
    return authFetchFor(mode === 'replay' ? 'replay' : 'once', origin)(input, init);
  };

  const assertOwnFetch = (used: unknown): void => {
    if (used === fetch) return;
    const error = new TypeError(
      'kyAuth: ky was given another fetch; pass it as kyAuth({ fetch }) instead',
    );
    misuse.add(error);
    throw error;
  };

  const modeOf = (kyOptions: HookOptions): Mode =>
    isReplayableBody(kyOptions.body) ? 'replay' : 'once';

  // ky 1 calls (request, options, state) on every attempt; ky 2 would call ({ request, options })
  // once, but ky 2 drops this hook in `init` below.
  const markRequest: KyAuthDefaults['hooks']['beforeRequest'][number] = (first, second) => {
    const { request, options: kyOptions } = (
      second === undefined ? first : { request: first, options: second }
    ) as { request: Request; options: HookOptions };
    if ('fetch' in kyOptions) assertOwnFetch(kyOptions.fetch);
    if (kyOptions.context?.skipAuth === true) return;
    request.headers.set(mark, `${modeOf(kyOptions)} ${baseOrigin(kyOptions)}`);
  };

  return {
    fetch,
    hooks: {
      // ky 2 only. Its init hooks may change a request's options: the request gets the fetch that
      // adds the token (the same one for ky's own retries) instead of a mark. ky runs every
      // beforeRequest hook at a cost of its own, so the one ky 1 needs is taken out here.
      init: [
        (kyOptions) => {
          assertOwnFetch(kyOptions.fetch);
          const before = kyOptions.hooks?.beforeRequest;
          if (before?.includes(markRequest)) {
            kyOptions.hooks = {
              ...kyOptions.hooks,
              beforeRequest: before.filter((hook) => hook !== markRequest),
            };
          }
          if (kyOptions.context?.skipAuth !== true)
            kyOptions.fetch = authFetchFor(modeOf(kyOptions), baseOrigin(kyOptions));
        },
      ],
      beforeRequest: [markRequest],
      // ky 1 retries every error: the manager already retried the token endpoint.
      beforeRetry: [
        ({ error }) => {
          if (isTokenwiseError(error) || misuse.has(error as object)) throw error;
        },
      ],
    },
  };
}

/** Origins of the base URLs seen so far: an instance has one, so a handful at most. */
const originCache = new Map<string, string>();

/** The origin of ky's `prefix` (or ky 1's `prefixUrl`), else of ky 2's `baseUrl`; '' for none. */
function baseOrigin(options: HookOptions): string {
  const prefix = String(options.prefix || options.prefixUrl || '');
  const key = options.baseUrl === undefined ? prefix : `${prefix} ${String(options.baseUrl)}`;
  let origin = originCache.get(key);
  if (origin === undefined) {
    const base = prefix && URL.canParse(prefix) ? prefix : options.baseUrl;
    origin = base !== undefined && URL.canParse(base) ? new URL(base).origin : 'null';
    if (origin === 'null') origin = '';
    if (originCache.size < 256) originCache.set(key, origin);
  }
  return origin;
}
