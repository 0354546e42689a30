/**
 * Request reading and answer writing shared by the simulators: exact body parsing (a repeated
 * form field or a non-object JSON body is a deviation, not a guess), JSON answers carrying the
 * simulator's own `Date`, and the bearer token of an API call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies larger than this are refused: no seed vendor's token request comes close. */
const maxBodyBytes = 64 * 1024;

/** A request body as the simulators judge it. */
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

/** Reads the whole body and parses it according to its `Content-Type`. */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return { ...contentTypeOf(req), fields: undefined };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = contentTypeOf(req);
  return { ...type, fields: parseFields(type.mediaType, text) };
}

function contentTypeOf(req: IncomingMessage): Omit<ReadBody, 'fields'> {
  const contentType = req.headers['content-type'];
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

/** Whether `fields` has every `required` key, and no key outside `required` and `optional`. */
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

/** Writes a JSON answer with the simulator's `Date` and any extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  date: number,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.sendDate = false;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    Date: new Date(date).toUTCString(),
    ...headers,
  });
  res.end(text);
}

/** Headers of every token answer (RFC 6749 §5.1). */
export const noStore: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/** The token of an `Authorization: Bearer …` header (scheme matched case-insensitively). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The first value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
