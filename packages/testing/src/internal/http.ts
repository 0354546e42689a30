/**
 * How the simulators judge a request and shape an answer: exact body parsing (a repeated form
 * field or a non-object JSON body is a deviation, not a guess), JSON answers carrying the
 * simulator's own `Date`, and the bearer token of an API call. Reading the request off the socket
 * and writing the answer back are the test kit's node bridge (`readRequest`, `writeResponse`).
 */
import type { RecordedRequest } from '@tokenwise/test-kit/server';

/** Bodies larger than this are refused: no seed vendor's token request comes close. */
const maxBodyBytes = 64 * 1024;

/**
 * What the simulators look at in a request: its headers (a recorded request, or node's own).
 *
 * @example
 * ```ts
 * const withTenant: RequestHeaders = { headers: { 'x-tenant-id': 'tenant-42' } };
 * ```
 */
export type RequestHeaders = Pick<RecordedRequest, 'headers'>;

/**
 * A request body as the simulators judge it.
 *
 * @example
 * ```ts
 * const body = bodyOf(request);
 * if (body.mediaType !== 'application/x-www-form-urlencoded') return fail('invalid_request');
 * ```
 */
export interface ReadBody {
  /** The media type, lower-cased, without parameters (`application/json`). */
  readonly mediaType: string | undefined;
  /** The `charset` parameter of `Content-Type`, lower-cased, if any. */
  readonly charset: string | undefined;
  /** The `Content-Type` header as sent. */
  readonly contentType: string | undefined;
  /** The body's fields: a form, or a JSON object whose values are all strings. */
  readonly fields: Readonly<Record<string, string>> | undefined;
}

/**
 * The body of a request the kit's `readRequest` read, parsed according to its `Content-Type`.
 *
 * @example
 * ```ts
 * const body = bodyOf(await readRequest(incoming, origin));
 * body.fields?.grant_type; // 'client_credentials'
 * ```
 */
export function bodyOf(request: RecordedRequest): ReadBody {
  const type = contentTypeOf(request.headers['content-type']);
  if (request.bytes.length > maxBodyBytes) return { ...type, fields: undefined };
  return { ...type, fields: parseFields(type.mediaType, request.body) };
}

function contentTypeOf(contentType: string | undefined): Omit<ReadBody, 'fields'> {
  if (contentType === undefined) {
    return { contentType: undefined, mediaType: undefined, charset: undefined };
  }
  const [media = '', ...parameters] = contentType.split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1];
  return {
    contentType,
    mediaType: media.trim().toLowerCase(),
    charset: charset?.trim().replace(/^"|"$/g, '').toLowerCase(),
  };
}

function parseFields(
  mediaType: string | undefined,
  text: string,
): Readonly<Record<string, string>> | undefined {
  if (mediaType === 'application/x-www-form-urlencoded') {
    const pairs = [...new URLSearchParams(text)];
    const fields = Object.fromEntries(pairs);
    return Object.keys(fields).length === pairs.length ? fields : undefined;
  }
  if (mediaType === 'application/json') {
    try {
      const json: unknown = JSON.parse(text);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
      const entries = Object.entries(json);
      return entries.every(([, value]) => typeof value === 'string')
        ? (Object.fromEntries(entries) as Record<string, string>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether `fields` has every `required` key, and no key outside `required` and `optional`.
 *
 * @example
 * ```ts
 * hasExactly({ grant_type: 'client_credentials', scope: 'x' }, ['grant_type'], ['scope']); // true
 * ```
 */
export function hasExactly(
  fields: Readonly<Record<string, string>>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  const keys = Object.keys(fields);
  return (
    required.every((key) => keys.includes(key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key))
  );
}

/**
 * A JSON answer dated by the simulator's clock (`date`, epoch ms), with any extra headers, for
 * the kit's `writeResponse`.
 *
 * @example
 * ```ts
 * await writeResponse(res, jsonAnswer(200, { ok: true }, simulator.now(), noStore));
 * ```
 */
export function jsonAnswer(
  status: number,
  body: unknown,
  date: number,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      Date: new Date(date).toUTCString(),
      ...headers,
    },
  });
}

/**
 * Headers of every token answer.
 *
 * @example
 * ```ts
 * return { status: 200, body: { access_token, token_type: 'Bearer' }, headers: noStore };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export const noStore: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/**
 * The token of an `Authorization: Bearer …` header (scheme matched case-insensitively).
 *
 * @example
 * ```ts
 * const token = bearerToken(request); // undefined without one
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerToken(request: RequestHeaders): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * The first value of a request header.
 *
 * @example
 * ```ts
 * const tenant = header(request, 'x-tenant-id');
 * ```
 */
export function header(request: RequestHeaders, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
