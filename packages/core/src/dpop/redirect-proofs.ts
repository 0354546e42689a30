/**
 * DPoP across redirects: a hop on the request's origin carries a proof made for that hop, since
 * a proof names the one URL and method it was made for (RFC 9449 §4.2, §7.1).
 *
 * @module
 */
import { type Authorization, issuerOf } from '../authorization.ts';
import type { RedirectStep } from '../redirect-hop.ts';
import { dpopSessionOf } from './dpop-registry.ts';

/**
 * The step a redirect guard runs before each hop of a request that carried `authorization` and
 * still carries it (the hop stays on the request's origin): for a DPoP token, `Authorization:
 * DPoP <token>` and a fresh proof for the hop's URL (without query and fragment) and method, with
 * a new `jti` and `iat`, the same `ath`, and the nonce the origin last gave (the redirect's own
 * `DPoP-Nonce` when it carries one). `undefined` for a Bearer token, and for an authorization
 * no authorizer made: its hops need nothing (and cost nothing: no function is made).
 *
 * Give it to `fetchWithRedirectGuard` as `onHop`; a client that follows redirects in a hook
 * that can wait (got's `beforeRedirect`) calls it there and sets the headers on the hop.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @example
 * ```ts
 * const authorization = await authorizer.authorize(request);
 * const response = await fetchWithRedirectGuard(fetch, url, init, {
 *   sensitiveHeaders: authorizer.sensitiveHeaders(),
 *   onHop: redirectStepFor(authorization), // undefined for a Bearer token
 * });
 * ```
 */
export function redirectStepFor(authorization: Authorization): RedirectStep | undefined {
  if (authorization.headers.DPoP === undefined) return undefined;
  const manager = issuerOf(authorization, undefined);
  const dpop = manager === undefined ? undefined : dpopSessionOf(manager);
  if (manager === undefined || dpop === undefined) return undefined;
  return async (hop) => {
    const [proving, session] = await Promise.all([
      import('./dpop-authorization.ts'),
      dpop.session(),
    ]);
    // A nonce the redirect hands out is the one to prove the hop with (RFC 9449 §8).
    if (hop.redirect !== undefined) session.remember(hop.redirect.url, hop.redirect.headers);
    // The request's auth headers, with a proof for the hop (the others as the first send had them).
    return (await proving.withProof(authorization, manager, session, hop)).headers;
  };
}
