/**
 * The request an adapter asks a token for, as the client will send it: what a `tokens` function
 * chooses a manager by, and what a proof of possession is made for.
 *
 * @module
 */

/**
 * A request about to be sent: its URL, its method (upper case) and its own headers (without the
 * token). Adapters build it lazily (see {@link describeRequest}): the headers are copied only when
 * something reads them.
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
 * An {@link AuthRequest} whose `headers` are made by `headers()` on first read, then kept: the
 * common path (one token manager, no header function) never pays for the copy. `method` is
 * upper-cased; a missing one is `GET`.
 *
 * @example
 * ```ts
 * const request = describeRequest(url, config.method, () => headersOf(config.headers));
 * ```
 */
export function describeRequest(
  url: string | URL,
  method: string | undefined,
  headers: () => Headers,
): AuthRequest {
  return new DescribedRequest(url, method === undefined ? 'GET' : method.toUpperCase(), headers);
}

/**
 * {@link describeRequest}'s value: a class, so that the lazy `headers` is one getter on the
 * prototype rather than an accessor defined on every request (which V8 builds slowly).
 */
class DescribedRequest implements AuthRequest {
  readonly url: string | URL;
  readonly method: string;
  #headers: Headers | (() => Headers);

  constructor(url: string | URL, method: string, headers: () => Headers) {
    this.url = url;
    this.method = method;
    this.#headers = headers;
  }

  get headers(): Headers {
    if (typeof this.#headers === 'function') this.#headers = this.#headers();
    return this.#headers;
  }
}

/**
 * A `Headers` copy of a client's header record (axios, got and Node's `IncomingHttpHeaders`
 * shapes): arrays become one value per item, numbers strings, `undefined`, `null` and `false`
 * are left out, as is a header `Headers` refuses (a bad name or value).
 *
 * @example
 * ```ts
 * headersOf({ 'x-tenant-id': 'acme', 'set-cookie': ['a=1', 'b=2'], 'content-length': 12 });
 * ```
 */
export function headersOf(record: Readonly<Record<string, unknown>> | null | undefined): Headers {
  const headers = new Headers();
  if (record == null) return headers;
  for (const name of Object.keys(record)) {
    const value = record[name];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === false) continue;
      try {
        headers.append(name, String(item));
      } catch {
        // A header fetch would refuse: not part of what the request can be judged by.
      }
    }
  }
  return headers;
}
