/**
 * A redirect hop of a request through got's `beforeRedirect`: the hop's state (it belongs to the
 * call, with or without the token), the token and extra headers dropped on a hop to another
 * origin, and a DPoP token's proof for the hop (got awaits `beforeRedirect` hooks, so the proof,
 * signed with WebCrypto, is made there, for the URL and method got sends the hop with).
 *
 * @module
 */
import {
  dropOnCrossOriginHop,
  headersOf,
  ResendBudget,
  redirectStepFor,
} from '@tokenwise/core/adapter';
import { authHeaderNames } from './auth-headers.ts';
import type { HookResponse } from './auth-request.ts';
import { type HookOptions, remember, Sent, sentWith } from './request-state.ts';

/**
 * Records the hop `next` after the redirect `response` for the registration `owner`, unless the
 * request is another registration's or an earlier registration recorded the hop. The token and
 * extra headers stay only on the request's origin; a DPoP token's hop there gets a fresh proof
 * (with the `DPoP-Nonce` of `response`, if any): the promise got waits for. `undefined`, at once,
 * for anything else: the hook stays synchronous.
 *
 * @example
 * ```ts
 * beforeRedirect: [(next, response) => followHop(next, response, registration)],
 * ```
 */
export function followHop(
  next: HookOptions,
  response: HookResponse,
  owner: symbol,
): Promise<void> | undefined {
  const previous = response.request.options;
  const state = sentWith(previous);
  if ((state !== undefined && state.owner !== owner) || sentWith(next)) return undefined;
  const { auth } = state ?? {};
  const kept =
    auth !== undefined &&
    !dropOnCrossOriginHop(
      String(previous.url),
      String(next.url),
      next.headers,
      authHeaderNames(auth),
    );
  // A hop without the token still belongs to the call: a re-sent call stays re-sent.
  remember(new Sent(next, owner, kept ? auth : undefined, state?.resends ?? new ResendBudget()));
  const onHop = kept ? redirectStepFor(auth) : undefined;
  if (onHop === undefined) return undefined;
  const redirect = { url: response.url, headers: headersOf(response.headers) };
  return onHop({ url: String(next.url), method: next.method, redirect }).then((headers) => {
    for (const name of Object.keys(headers)) next.headers[name.toLowerCase()] = headers[name];
  });
}
