/**
 * Hiding the headers an adapter set (`Authorization`, the extra headers) in what an HTTP client
 * keeps of a request it sent, so that an error handed to the caller shows no token when logged.
 *
 * @module
 */

/**
 * What replaces the value of a header an adapter set, in an error handed to the caller.
 *
 * @example
 * ```ts
 * error.config.headers.Authorization === redactedHeaderValue; // '[redacted]'
 * ```
 */
export const redactedHeaderValue = '[redacted]';

/**
 * The parts of a Node `ClientRequest`, and of the wrappers of follow-redirects (`_options`,
 * `_currentRequest`) and got (`_requestOptions`, `_request`), that hold headers sent.
 */
type SentRequest = {
  _header?: unknown;
  _options?: { headers?: Record<string, unknown> };
  _requestOptions?: { headers?: Record<string, unknown> };
  _redirectable?: unknown;
  _currentRequest?: unknown;
  _request?: unknown;
  /** Writes queued before the request had a socket: `{ data, encoding, callback }`. */
  outputData?: unknown;
  socket?: { _pendingData?: unknown; _writableState?: { buffered?: unknown } } | null;
} & Record<symbol, unknown>;

/**
 * Replaces the values of the headers named `names` (any letter case) with `[redacted]` in a sent
 * request as a client keeps it: a fetch `Request`; a Node `ClientRequest` (the header block it
 * wrote, `_header`, its copies still waiting to be written, in the request's queue and in its
 * socket's while it connects, and its record of the outgoing headers behind `getHeaders()`); and
 * the wrappers of follow-redirects and got around it (the options they keep, and the request
 * they point to).
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
  if (typeof request !== 'object' || request === null) return;
  if (typeof Request === 'function' && request instanceof Request) {
    for (const name of names)
      if (request.headers.has(name)) request.headers.set(name, redactedHeaderValue);
    return;
  }
  const {
    _redirectable: wrapper,
    _currentRequest: current,
    _request: inner,
  } = request as SentRequest;
  // Lower-cased once, and only for a request that holds headers (what an answer carries as its
  // `request` is often an object that holds none).
  let lower: ReadonlySet<string> | undefined;
  const parts = [request, wrapper, current, inner];
  for (let at = 0; at < parts.length; at++) {
    const part = parts[at];
    if (typeof part !== 'object' || part === null || parts.indexOf(part) !== at) continue;
    if (!holdsSentHeaders(part as SentRequest)) continue;
    lower ??= new Set([...names].map((name) => name.toLowerCase()));
    if (lower.size > 0) redactNodeRequest(part as SentRequest, lower);
  }
}

/** Whether `part` is a Node `ClientRequest`, or a wrapper that keeps the options it sent. */
function holdsSentHeaders(part: SentRequest): boolean {
  return (
    '_header' in part ||
    'outputData' in part ||
    part._options !== undefined ||
    part._requestOptions !== undefined
  );
}

function redactNodeRequest(request: SentRequest, lower: ReadonlySet<string>): void {
  // The header block as written: `Name: value` lines; and its copies in writes still queued (a
  // connection refused, or not yet made, never took them).
  if (typeof request._header === 'string') {
    const sent = request._header;
    const redacted = sent.replace(/^([^:\r\n]+):[^\r\n]*/gm, (line, name: string) =>
      lower.has(name.toLowerCase()) ? `${name}: ${redactedHeaderValue}` : line,
    );
    request._header = redacted;
    if (redacted !== sent) {
      const replace = (data: unknown): unknown => replaceBlock(data, sent, redacted);
      replaceInQueue(request.outputData, 'data', replace);
      const socket = request.socket;
      if (typeof socket === 'object' && socket !== null) {
        if (Array.isArray(socket._pendingData))
          replaceInQueue(socket._pendingData, 'chunk', replace);
        else socket._pendingData = replace(socket._pendingData);
        replaceInQueue(socket._writableState?.buffered, 'chunk', replace);
      }
    }
  }
  // Node's record of the outgoing headers (`getHeaders()`): `{ lower: [name, value] }`.
  const outgoing = outHeadersOf(request);
  if (typeof outgoing === 'object' && outgoing !== null) {
    for (const [key, entry] of Object.entries(outgoing)) {
      if (lower.has(key) && Array.isArray(entry)) entry[1] = redactedHeaderValue;
    }
  }
  // follow-redirects and got keep the options of the request, headers included.
  for (const headers of [request._options?.headers, request._requestOptions?.headers]) {
    if (typeof headers !== 'object' || headers === null) continue;
    for (const name of Object.keys(headers))
      if (lower.has(name.toLowerCase())) headers[name] = redactedHeaderValue;
  }
}

/** Node's `kOutHeaders` symbol, a constant of the runtime: found on the first request that has it. */
let outHeadersKey: symbol | undefined;

/** Node's record of the headers `request` sent (behind `getHeaders()`), if it has one. */
function outHeadersOf(request: SentRequest): unknown {
  outHeadersKey ??= Object.getOwnPropertySymbols(request).find(
    (symbol) => symbol.description === 'kOutHeaders',
  );
  return outHeadersKey === undefined ? undefined : request[outHeadersKey];
}

/** Rewrites `entry[key]` of each entry of a write queue (`outputData`, a socket's buffer). */
function replaceInQueue(
  queue: unknown,
  key: 'data' | 'chunk',
  replace: (data: unknown) => unknown,
) {
  if (!Array.isArray(queue)) return;
  for (const entry of queue as unknown[]) {
    if (typeof entry === 'object' && entry !== null && key in entry)
      (entry as Record<string, unknown>)[key] = replace((entry as Record<string, unknown>)[key]);
  }
}

/**
 * `data` (a string, or bytes such as a Node `Buffer`, of the same kind in the result) with every
 * `sent` header block replaced by `redacted`. Header blocks are latin1: one byte per character.
 */
function replaceBlock(data: unknown, sent: string, redacted: string): unknown {
  if (typeof data === 'string') return data.split(sent).join(redacted);
  if (!(data instanceof Uint8Array)) return data;
  let text = '';
  for (let at = 0; at < data.length; at += 4096)
    text += String.fromCharCode(...data.subarray(at, at + 4096));
  if (!text.includes(sent)) return data;
  const bytes = Uint8Array.from(text.split(sent).join(redacted), (char) => char.charCodeAt(0));
  return (data.constructor as typeof Uint8Array).from(bytes); // a Buffer stays a Buffer
}
