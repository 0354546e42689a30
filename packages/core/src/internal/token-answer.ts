/**
 * Reading a token endpoint's answer: the body, capped at {@link maxBodyBytes} and given up at the
 * attempt's abort, then parsed as JSON or a form; and the RFC 6749 §5.2 fields of an error body.
 *
 * @module
 */
import { type OAuthErrorFields, TokenResponseError } from '../errors.ts';
import { abortable } from './abortable.ts';

/** Token endpoint answers are read up to this size; a larger body is an error. */
export const maxBodyBytes: number = 1024 * 1024;

const ignore = (): void => {};

/**
 * The body as text, up to {@link maxBodyBytes}. Each read is raced with `signal`, and a body
 * given up is cancelled without waiting: a stream that ignores the abort, or never finishes
 * cancelling, cannot hold the attempt past its timeout.
 */
export async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  const tooLarge = (): TokenResponseError =>
    new TokenResponseError(
      response.status,
      `Token endpoint answer exceeds the ${maxBodyBytes}-byte limit`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBodyBytes) {
    response.body?.cancel().catch(ignore);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), signal);
      if (done) break;
      size += value.byteLength;
      if (size > maxBodyBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(ignore);
    throw error;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The body as a JSON object, or a form when the server says so; undefined for anything else. */
export function parseBody(text: string, headers: Headers): Record<string, unknown> | undefined {
  const type = headers.get('content-type')?.toLowerCase() ?? '';
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const json: unknown = JSON.parse(trimmed);
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * RFC 6749 §5.2 fields from a parsed body; vendor bodies such as `{ "error": "Invalid request" }`
 * fit too. Fields are kept whole: the exchange clips them after redacting them, so that a cut
 * never leaves part of a secret behind.
 */
export function errorFields(body: Readonly<Record<string, unknown>> | undefined): OAuthErrorFields {
  const pick = (key: string): string | undefined => {
    const value = body?.[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const nested = body?.error;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    const inner = nested as Record<string, unknown>;
    const message = inner.message ?? inner.description;
    return {
      error: typeof inner.code === 'string' ? inner.code : undefined,
      errorDescription: typeof message === 'string' ? message : undefined,
      errorUri: undefined,
    };
  }
  return {
    error: pick('error'),
    errorDescription: pick('error_description') ?? pick('message'),
    errorUri: pick('error_uri'),
  };
}
