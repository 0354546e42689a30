/**
 * Hiding the headers an adapter set (`Authorization`, the extra headers) in what an HTTP client
 * keeps of a request it sent, so that an error handed to the caller shows no token when logged.
 *
 * @module
 */

/** What replaces the value of a header an adapter set, in an error handed to the caller. */
export const redactedHeaderValue = '[redacted]';

/** The parts of a Node `ClientRequest` and of follow-redirects' wrapper that hold headers sent. */
type SentRequest = {
  _header?: unknown;
  _options?: { headers?: Record<string, unknown> };
  _redirectable?: unknown;
  _currentRequest?: unknown;
} & Record<symbol, unknown>;

/**
 * Replaces the values of the headers named `names` (any letter case) with `[redacted]` in a sent
 * request as a client keeps it: a fetch `Request`; a Node `ClientRequest` (the header block it
 * wrote, `_header`, and its record of the outgoing headers behind `getHeaders()`); and
 * follow-redirects' wrapper around it (the options it keeps, and the request it points to).
 * Anything else is left alone. Call it on an error's request once nothing will be sent with it
 * again: the bytes already went out; only what a log of the error would show changes.
 *
 * @example
 * ```ts
 * redactSentHeaders(axiosError.request, ['Authorization', 'X-Tenant-Id']);
 * util.inspect(axiosError.request, { depth: Infinity }); // Authorization: [redacted]
 * ```
 */
export function redactSentHeaders(request: unknown, names: Iterable<string>): void {
  const lower = new Set([...names].map((name) => name.toLowerCase()));
  if (lower.size === 0 || typeof request !== 'object' || request === null) return;
  if (typeof Request === 'function' && request instanceof Request) {
    for (const name of lower)
      if (request.headers.has(name)) request.headers.set(name, redactedHeaderValue);
    return;
  }
  const { _redirectable: wrapper, _currentRequest: current } = request as SentRequest;
  for (const part of new Set([request, wrapper, current])) {
    if (typeof part === 'object' && part !== null) redactNodeRequest(part as SentRequest, lower);
  }
}

function redactNodeRequest(request: SentRequest, lower: ReadonlySet<string>): void {
  // The header block as written: `Name: value` lines.
  if (typeof request._header === 'string') {
    request._header = request._header.replace(/^([^:\r\n]+):[^\r\n]*/gm, (line, name: string) =>
      lower.has(name.toLowerCase()) ? `${name}: ${redactedHeaderValue}` : line,
    );
  }
  // Node's record of the outgoing headers (`getHeaders()`): `{ lower: [name, value] }`.
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    const headers = symbol.description === 'kOutHeaders' ? request[symbol] : undefined;
    if (typeof headers !== 'object' || headers === null) continue;
    for (const [key, entry] of Object.entries(headers)) {
      if (lower.has(key) && Array.isArray(entry)) entry[1] = redactedHeaderValue;
    }
  }
  // follow-redirects keeps the options of the request, headers included.
  const headers = request._options?.headers;
  if (headers !== undefined) {
    for (const name of Object.keys(headers))
      if (lower.has(name.toLowerCase())) headers[name] = redactedHeaderValue;
  }
}
