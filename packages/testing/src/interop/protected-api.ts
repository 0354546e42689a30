/**
 * The resource server beside the interop provider, on an origin of its own: every request's
 * bearer token is validated through the provider's introspection endpoint (RFC 7662), as a
 * resource server does; a live token gets an echo of the path and the token's client, subject and
 * scope, anything else a 401 with a Bearer challenge.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { DpopResource } from './dpop-resource.ts';
import { schemeToken } from './dpop-resource.ts';
import { basicAuthorization, type OidcClient } from './oidc-clients.ts';
import type { OidcStats } from './oidc-stats.ts';

/**
 * Asks the provider at `issuer` about `token`, authenticated as `resourceServer`; resolves to
 * the introspection answer (`active`, `client_id`, `sub`, `scope`, …). Each call is counted in
 * `stats.introspections`.
 *
 * @example
 * ```ts
 * const introspect = introspector(issuer, clients.resourceServer, stats);
 * const { active } = await introspect(accessToken);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 */
export function introspector(
  issuer: string,
  resourceServer: OidcClient,
  stats: Pick<OidcStats, 'introspections'>,
): (token: string) => Promise<Record<string, unknown>> {
  return async (token) => {
    stats.introspections++;
    const res = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        Authorization: basicAuthorization(resourceServer),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/**
 * The protected API, not yet listening: `/api/…` answers 200 with
 * `{ path, clientId, sub, scope }` for a token `introspect` calls active, 401 `invalid_token`
 * otherwise, 502 when introspection fails; `/api/redirect/<status>/<path>` answers an accepted
 * request with a redirect to `/api/<path>`. Calls and refusals are counted in `stats`.
 *
 * @example
 * ```ts
 * const api = protectedApi(introspector(issuer, clients.resourceServer, stats), stats);
 * const apiUrl = `${await listenOnLoopback(api)}/api`;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function protectedApi(
  introspect: (token: string) => Promise<Record<string, unknown>>,
  stats: Pick<OidcStats, 'apiCalls' | 'apiRejected'>,
  dpop?: DpopResource,
): Server {
  return createServer((req, res) => {
    stats.apiCalls++;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      // An API that requires DPoP nonces hands out its current one on every answer.
      const nonce = dpop?.requireNonce ? { 'DPoP-Nonce': dpop.nonce } : {};
      res.writeHead(status, { 'Content-Type': 'application/json', ...nonce, ...headers });
      res.end(JSON.stringify(body));
    };
    const token = schemeToken(req);
    req.resume();
    const check: Promise<Record<string, unknown>> =
      token === undefined ? Promise.resolve({ active: false }) : introspect(token.value);
    check.then(
      (claims) => {
        if (claims.active !== true) {
          stats.apiRejected++;
          return send(
            401,
            { error: 'invalid_token' },
            { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
          );
        }
        // DPoP (RFC 9449 §7): the proof, and the scheme the token is bound to.
        const refused =
          token === undefined || dpop === undefined
            ? undefined
            : dpop.check(req, `http://${req.headers.host}`, token, claims);
        if (refused !== undefined) {
          stats.apiRejected++;
          return send(refused.status, { error: refused.error }, refused.headers);
        }
        const url = new URL(req.url ?? '/', 'http://api');
        // `/api/redirect/<status>/<path>`: a same-origin redirect to `/api/<path>`, after the check.
        const moved = /^\/api\/redirect\/(3\d\d)\/(.*)$/.exec(url.pathname);
        if (moved) return send(Number(moved[1]), {}, { Location: `/api/${moved[2]}${url.search}` });
        send(200, {
          path: url.pathname.replace(/^\/api/, ''),
          clientId: claims.client_id,
          sub: claims.sub,
          scope: claims.scope,
        });
      },
      () => send(502, { error: 'introspection_failed' }),
    );
  });
}
