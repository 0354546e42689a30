/**
 * The request an adapter asks a token for, as the client will send it: what a `tokens` function
 * chooses a manager by, and what a proof of possession is made for.
 *
 * @module
 */
import { inspectSymbol } from './internal/symbols.ts';
import type { TokensRequest } from './tokens-choice.ts';

/**
 * A request about to be sent: its URL, its method (upper case) and its own headers (without the
 * token). Adapters describe every request with {@link describeRequest}, which reads nothing until
 * asked: the authorizer reads only what it needs (the URL for a header function, the method for
 * a DPoP proof, everything for a `tokens` function).
 *
 * @example
 * ```ts
 * const request: AuthRequest = { url: 'https://api.example.com/members', method: 'GET', headers: new Headers() };
 * await authorizer.authorize(request);
 * ```
 */
export interface AuthRequest {
  readonly url: string | URL;
  readonly method: string;
  readonly headers: Headers;
}

/**
 * A client's own headers, as it holds them: a `HeadersInit` (a `Headers`, pairs or a record),
 * a header record of axios, got or Node (arrays, numbers, `undefined`; see {@link headersOf}),
 * or a function that makes the `Headers` (when they need more than a copy).
 *
 * @example
 * ```ts
 * const own: HeadersSource = config.headers; // axios: copied with headersOf when read
 * ```
 */
export type HeadersSource =
  | Headers
  | Iterable<readonly [string, unknown]>
  | Readonly<Record<string, unknown>>
  | (() => Headers)
  | null
  | undefined;

/**
 * The description of a request about to be sent, cheap enough to make for every request: it
 * holds what it is given and reads it only when asked. `url` is the URL (a function for a client
 * whose full URL costs work to build: called on first read), `method` the client's (upper-cased
 * when read; missing: `GET`), `headers` the client's own headers as it holds them (copied on
 * first read, see {@link HeadersSource}). Each is read once, then kept.
 *
 * @example
 * ```ts
 * const request = describeRequest(url, init.method, init.headers); // createAuthFetch
 * const viaAxios = describeRequest(() => instance.getUri(config), config.method, config.headers);
 * const authorization = await authorizer.authorize(request);
 * ```
 */
export function describeRequest(
  url: string | URL | (() => string),
  method: string | undefined,
  headers?: HeadersSource,
): AuthRequest & TokensRequest {
  return new DescribedRequest(url, method, headers);
}

/**
 * {@link describeRequest}'s value, and what a `tokens` function is given: a class, so that its
 * lazy members are getters on the prototype and every request allocates one small object of one
 * shape (an object literal with getters would define them anew at each request).
 *
 * @example
 * ```ts
 * const request = new DescribedRequest(url, 'post', init.headers).hiding(new Set(['authorization']));
 * request.method; // 'POST'
 * ```
 */
export class DescribedRequest implements AuthRequest, TokensRequest {
  #url: string | URL | (() => string);
  #method: string | undefined;
  #headers: Headers | HeadersSource;
  #copied = false;
  #hidden: ReadonlySet<string> | undefined;

  constructor(
    url: string | URL | (() => string),
    method: string | undefined,
    headers: HeadersSource,
  ) {
    if (!DescribedRequest.#inspectable) DescribedRequest.#defineInspect();
    this.#url = url;
    this.#method = method;
    this.#headers = headers;
  }

  static #inspectable = false;

  /**
   * What `console.log(request)` shows, the URL and the method, never the headers: put on the
   * prototype with the first request (at module load it would be a side effect kept in every
   * bundle; `isolatedDeclarations` cannot declare a method under the symbol).
   */
  static #defineInspect(): void {
    DescribedRequest.#inspectable = true;
    const prototype = DescribedRequest.prototype as unknown as Record<symbol, unknown>;
    prototype[inspectSymbol] = function inspect(this: DescribedRequest): string {
      return `TokensRequest { method: '${this.method}', url: '${this.url}' }`;
    };
  }

  /** The URL, as a string. */
  get url(): string {
    const url = this.#url;
    if (typeof url === 'string') return url;
    const href = typeof url === 'function' ? url() : url.href;
    this.#url = href;
    return href;
  }

  /** The method, in upper case. */
  get method(): string {
    const method = this.#method === undefined ? 'GET' : this.#method.toUpperCase();
    this.#method = method;
    return method;
  }

  /**
   * A copy of the request's own headers (empty when it has none), made on first read, without
   * those {@link DescribedRequest.hiding} names.
   */
  get headers(): Headers {
    if (!this.#copied) {
      const source = this.#headers;
      this.#headers = typeof source === 'function' ? source() : headersOf(source);
      this.#copied = true;
      this.#drop();
    }
    return this.#headers as Headers;
  }

  /**
   * This request, its headers read without `names` (lower case): the auth headers, which the
   * client's record may hold (the caller's own, or an earlier attempt's token) and no `tokens`
   * function is shown.
   */
  hiding(names: ReadonlySet<string>): this {
    this.#hidden = names;
    if (this.#copied) this.#drop();
    return this;
  }

  /** What `JSON.stringify(request)` gives: the URL and the method, never the headers. */
  toJSON(): { url: string; method: string } {
    return { url: this.url, method: this.method };
  }

  #drop(): void {
    const hidden = this.#hidden;
    if (hidden !== undefined) for (const name of hidden) (this.#headers as Headers).delete(name);
  }
}

/**
 * `target` as a {@link DescribedRequest}: itself when it is one; a URL alone is a `GET` without
 * headers; another {@link AuthRequest}'s headers are read when asked for.
 *
 * @example
 * ```ts
 * tokens(describedOf('https://api.example.com/x')); // { url, method: 'GET', headers: empty }
 * ```
 */
export function describedOf(target: AuthRequest | string | URL): DescribedRequest {
  if (target instanceof DescribedRequest) return target;
  if (typeof target === 'string' || target instanceof URL)
    return new DescribedRequest(target, undefined, undefined);
  return new DescribedRequest(target.url, target.method, () => target.headers);
}

/**
 * The URL `target` is for, as given (a string or a `URL`).
 *
 * @example
 * ```ts
 * urlOf(describeRequest('https://api.example.com/x', 'GET')); // 'https://api.example.com/x'
 * ```
 */
export function urlOf(target: AuthRequest | string | URL): string | URL {
  return typeof target === 'string' || target instanceof URL ? target : target.url;
}

/**
 * A `Headers` copy of a client's headers: a record (axios, got and Node's `IncomingHttpHeaders`
 * shapes) or pairs (a `Headers`, an array, axios's `AxiosHeaders`). Arrays become one value per
 * item, numbers strings; `undefined`, `null` and `false` are left out, as is a header `Headers`
 * refuses (a bad name or value).
 *
 * @example
 * ```ts
 * headersOf({ 'x-tenant-id': 'acme', 'set-cookie': ['a=1', 'b=2'], 'content-length': 12 });
 * headersOf(new Headers({ 'X-Tenant-Id': 'acme' }));
 * ```
 */
export function headersOf(
  source:
    | Iterable<readonly [string, unknown]>
    | Readonly<Record<string, unknown>>
    | null
    | undefined,
): Headers {
  const headers = new Headers();
  if (source == null) return headers;
  if (isPairs(source)) {
    for (const [name, value] of source) append(headers, name, value);
    return headers;
  }
  for (const name of Object.keys(source)) append(headers, name, source[name]);
  return headers;
}

function isPairs(
  source: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
): source is Iterable<readonly [string, unknown]> {
  return typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

/** Appends each item of `value` under `name`, but those fetch would refuse or that mean none. */
function append(headers: Headers, name: string, value: unknown): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === undefined || item === null || item === false) continue;
    try {
      headers.append(name, String(item));
    } catch {
      // A header fetch would refuse: not part of what the request can be judged by.
    }
  }
}
