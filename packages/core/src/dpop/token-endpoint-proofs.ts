/**
 * DPoP at the token endpoint (RFC 9449 §5, §8): a proof on every attempt, and the one re-send a
 * `use_dpop_nonce` answer asks for.
 *
 * @module
 */
import type { DpopSession } from './dpop-session.ts';

/** How much of a 400's body is read to find `use_dpop_nonce`: an OAuth error object is small. */
const errorBodyBytes = 8_192;

/**
 * Wraps the fetch a manager sends token requests with: each call (each attempt of the retry
 * policy) gets a fresh `DPoP` proof for its URL and method, with the token endpoint's nonce when
 * one is known; every answer's `DPoP-Nonce` is remembered; a 400 `use_dpop_nonce` carrying a new
 * nonce is sent once more with it, within the same attempt (it is not a failure the retry policy
 * counts).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 * @example
 * ```ts
 * const send = withTokenEndpointProofs(fetch, session);
 * await send('https://auth.example.com/token', { method: 'POST', headers, body });
 * ```
 */
export function withTokenEndpointProofs(
  fetch: typeof globalThis.fetch,
  session: DpopSession,
): typeof globalThis.fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers = new Headers(init?.headers);
    const send = async (nonce?: string): Promise<Response> => {
      headers.set('DPoP', await session.proof({ url, method, nonce }));
      const response = await fetch(input, { ...init, headers });
      session.remember(url, response.headers);
      return response;
    };
    const sentNonce = session.nonceFor(url);
    const response = await send();
    const nonce = session.nonceFor(url);
    if (response.status !== 400 || nonce === undefined || nonce === sentNonce) return response;
    if (!(await asksForNonce(response))) return response;
    await response.body?.cancel().catch(() => {});
    return send(nonce);
  };
}

/** Whether a 400 from a token endpoint is `{ "error": "use_dpop_nonce" }`. Reads a copy. */
async function asksForNonce(response: Response): Promise<boolean> {
  const reader = response.clone().body?.getReader();
  if (reader === undefined) return false;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < errorBodyBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { error?: unknown } | null;
    return body?.error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}
