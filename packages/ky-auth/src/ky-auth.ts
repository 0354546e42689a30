/// <reference types="ky" preserve="true" />
import {
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
    init: ((options: { readonly fetch?: unknown }) => void)[];
    beforeRequest: ((state: unknown, options?: unknown) => void)[];
    beforeRetry: ((state: { readonly error: unknown }) => void)[];
  };
}

/** The normalized options ky hands to hooks (ky 1: `prefixUrl`; ky 2: `prefix`, `baseUrl`). */
interface HookOptions {
  readonly context?: KyAuthContext;
  readonly body?: unknown;
  readonly fetch?: unknown;
  readonly prefix?: string;
  readonly prefixUrl?: string;
  readonly baseUrl?: string | URL;
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

  // One createAuthFetch per (replay mode, default origin): its authorizer keeps state across
  // requests (headers to guard on redirects, a token refused on a re-send).
  const authFetches = new Map<string, ReturnType<typeof createAuthFetch>>();
  const authFetchFor = (mode: string, origin: string): ReturnType<typeof createAuthFetch> => {
    const key = `${mode} ${origin}`;
    let authFetch = authFetches.get(key);
    if (authFetch === undefined) {
      authFetch = createAuthFetch({
        ...options,
        origins: options.origins ?? (origin ? [origin] : undefined),
        retryOn401: mode === 'replay' && options.retryOn401 !== false,
        fetch: baseFetch,
      });
      authFetches.set(key, authFetch);
    }
    return authFetch;
  };

  const fetch: KyAuthDefaults['fetch'] = (input, init) => {
    const value = input instanceof Request ? input.headers.get(mark) : null;
    if (value === null) return baseFetch(input, init);
    (input as Request).headers.delete(mark);
    const [mode = 'once', origin = ''] = value.split(' ');
    // ky passes its fetch-only options (undici's `dispatcher`) as `init`: they go along.
    return authFetchFor(mode, origin)(input, init);
  };

  const assertOwnFetch = (used: unknown): void => {
    if (used === fetch) return;
    const error = new TypeError(
      'kyAuth: ky was given another fetch; pass it as kyAuth({ fetch }) instead',
    );
    misuse.add(error);
    throw error;
  };

  return {
    fetch,
    hooks: {
      // ky 2 only: hooks there do not see `fetch`.
      init: [(kyOptions) => assertOwnFetch(kyOptions.fetch)],
      // ky 1 calls (request, options, state) on every attempt; ky 2 calls ({ request, options }) once.
      beforeRequest: [
        (first, second) => {
          const { request, options: kyOptions } = (
            second === undefined ? first : { request: first, options: second }
          ) as { request: Request; options: HookOptions };
          if ('fetch' in kyOptions) assertOwnFetch(kyOptions.fetch);
          if (kyOptions.context?.skipAuth === true) return;
          const mode = isReplayableBody(kyOptions.body) ? 'replay' : 'once';
          request.headers.set(mark, `${mode} ${baseOrigin(kyOptions)}`);
        },
      ],
      // ky 1 retries every error: the manager already retried the token endpoint.
      beforeRetry: [
        ({ error }) => {
          if (isTokenwiseError(error) || misuse.has(error as object)) throw error;
        },
      ],
    },
  };
}

function baseOrigin(options: HookOptions): string {
  const prefix = options.prefix || options.prefixUrl;
  const base = prefix && URL.canParse(prefix) ? prefix : options.baseUrl;
  const origin = base !== undefined && URL.canParse(base) ? new URL(base).origin : 'null';
  return origin === 'null' ? '' : origin;
}
