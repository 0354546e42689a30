/**
 * The request bodies the contract suite sends, named by what a caller passes (each driver writes
 * them the way its client takes them), and how `fetch` takes a whole request of the suite.
 */
import type { SentRequest } from '../describe-adapter.ts';

/**
 * A request body: text, a value sent as JSON, a URL-encoded form, raw bytes, or a stream of text
 * chunks (which no client can send twice).
 *
 * @example
 * const form: SentBody = { kind: 'form', form: { a: '1', b: 'two words' } };
 */
export type SentBody =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly json: unknown }
  | { readonly kind: 'form'; readonly form: Readonly<Record<string, string>> }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'stream'; readonly chunks: readonly string[] };

/** `RequestInit` plus the `duplex` a stream body needs in Node. */
export type FetchInit = RequestInit & { duplex?: 'half' };

/**
 * A {@link SentRequest} as `fetch` takes it (for drivers of fetch-based clients): method, the
 * caller's headers, the body (JSON serialised with its `Content-Type`, a stream with
 * `duplex: 'half'`) and the signal. The client's own members (`skipAuth`) are the driver's.
 *
 * @example
 * send: async (fetch, request) => readResponse(await fetch(request.url, fetchInit(request))),
 */
export function fetchInit(request: SentRequest): FetchInit {
  const { method, headers = {}, body, signal } = request;
  const init: FetchInit = { headers: { ...headers } };
  if (method !== undefined) init.method = method;
  if (signal !== undefined) init.signal = signal;
  if (body === undefined) return init;
  switch (body.kind) {
    case 'text':
      return { ...init, body: body.text };
    case 'json':
      return {
        ...init,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body.json),
      };
    case 'form':
      return { ...init, body: new URLSearchParams({ ...body.form }) };
    case 'bytes':
      return { ...init, body: new Uint8Array(body.bytes) };
    case 'stream':
      return { ...init, body: textStream(body.chunks), duplex: 'half' };
  }
}

/** A web `ReadableStream` of the UTF-8 bytes of `chunks`, one chunk at a time. */
function textStream(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}
