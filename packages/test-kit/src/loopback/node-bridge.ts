/**
 * The bridge between `node:http` and the Fetch API msw's handlers speak: a node request read
 * into a {@link RecordedRequest} and a Fetch `Request` on the server's own origin, and a Fetch
 * `Response` written back byte for byte.
 */
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';

/**
 * One request as the loopback server saw it.
 *
 * @example
 * expect(server.tokenRequests[0]?.params.grant_type).toBe('client_credentials');
 * expect(server.apiCalls.at(-1)?.headers['x-tenant-id']).toBe('acme');
 */
export interface RecordedRequest {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /** The full URL, on the server's own origin (whatever `Host` the client sent). */
  readonly url: URL;
  /** Every header, as Node decodes them (latin1: one character per byte). */
  readonly headers: IncomingHttpHeaders;
  /** The body as received. */
  readonly bytes: Buffer;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body's parameters: a form, or a JSON object's fields as strings (else empty). */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Reads a node request to its end. Its URL keeps the path and query the client sent, on
 * `origin`, so a handler registered under the server's issuer matches whatever names the server.
 *
 * @example
 * const recorded = await readRequest(incoming, 'http://127.0.0.1:41234');
 * recorded.url.href; // 'http://127.0.0.1:41234/token'
 */
export async function readRequest(
  incoming: IncomingMessage,
  origin: string,
): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const body = bytes.toString('utf8');
  const target = new URL(incoming.url ?? '/', origin);
  const url = new URL(`${target.pathname}${target.search}`, origin);
  return {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    url,
    headers: incoming.headers,
    bytes,
    body,
    params: parseParams(body, incoming.headers['content-type']),
  };
}

/**
 * The Fetch `Request` of a recorded request: same method, URL, headers and body bytes.
 *
 * @example
 * const response = await getResponse(oauth.handlers, toFetchRequest(recorded));
 */
export function toFetchRequest(recorded: RecordedRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(recorded.headers)) {
    for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
  }
  const hasBody = !['GET', 'HEAD'].includes(recorded.method) && recorded.bytes.length > 0;
  return new Request(recorded.url, {
    method: recorded.method,
    headers,
    ...(hasBody ? { body: new Uint8Array(recorded.bytes) } : {}),
  });
}

/**
 * Writes a Fetch `Response` to a node response: status, status text, headers and the body's
 * bytes unchanged. A network error (`Response.error()`, msw's `HttpResponse.error()`) destroys
 * the connection instead. Nothing is written to a connection already closed.
 *
 * @example
 * await writeResponse(res, Response.json({ ok: true }));
 */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (res.destroyed || res.headersSent) return;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(bytes);
}

function parseParams(body: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.toLowerCase().includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      // not JSON after all: no parameters
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(body));
}
