/**
 * A DPoP request's redirect hop through got: got awaits `beforeRedirect` hooks, so the hop's proof
 * (signed with WebCrypto) is made there, for the URL and method got sends the hop with.
 *
 * @module
 */
import { type Authorization, headersOf, redirectStepFor } from '@tokenwise/core/adapter';
import type { HookResponse } from './auth-request.ts';
import type { HookOptions } from './request-state.ts';

/**
 * Sets a fresh proof (and `Authorization: DPoP <token>`) on the hop `next` of a request that
 * carried `auth` and still does (the hop stays on its origin), after the redirect `response`
 * (whose `DPoP-Nonce`, if any, the proof carries). `undefined`, at once, for a Bearer token: its
 * hop needs nothing, and the hook stays synchronous.
 *
 * @example
 * ```ts
 * beforeRedirect: [(next, response) => (stillCarried ? proveHop(auth, next, response) : undefined)],
 * ```
 */
export function proveHop(
  auth: Authorization,
  next: HookOptions,
  response: HookResponse,
): Promise<void> | undefined {
  const onHop = redirectStepFor(auth);
  if (onHop === undefined) return undefined;
  const redirect = { url: response.url, headers: headersOf(response.headers) };
  return onHop({ url: String(next.url), method: next.method, redirect }).then((headers) => {
    for (const name of Object.keys(headers)) next.headers[name.toLowerCase()] = headers[name];
  });
}
