/**
 * A resource server guard for msw handlers: Bearer token verification with RFC 6750 §3
 * challenges, and an optional scope requirement.
 *
 * @module
 */
import type { HttpResponseResolver, PathParams } from 'msw';
import type { Clock } from './clock.ts';
import { quoted } from './internal/responses.ts';
import { scopeTokens } from './internal/scope.ts';
import type { AccessTokenClaims, TokenRegistry } from './tokens.ts';

/**
 * Options of `oauth.protect()`.
 *
 * @example
 * ```ts
 * http.delete('https://api.test/items/:id', oauth.protect(() => new Response(null, { status: 204 }), { scope: 'items:write' }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 (`insufficient_scope`)
 */
export interface ProtectOptions {
  /** Scope-tokens the access token must all carry; otherwise 403 `insufficient_scope`. */
  readonly scope?: string | readonly string[] | undefined;
}

/**
 * What a protected resolver receives: msw's usual argument plus the verified token.
 *
 * @example
 * ```ts
 * oauth.protect(({ request, claims, accessToken }) => HttpResponse.json({ sub: claims.sub }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export type ProtectedResolverInfo<Params extends PathParams<keyof Params> = PathParams> =
  Parameters<HttpResponseResolver<Params>>[0] & {
    /** The claims of the presented access token (verified: issued here, live, not revoked). */
    readonly claims: AccessTokenClaims;
    /** The presented access token. */
    readonly accessToken: string;
  };

/** RFC 6750 §2.1 b64token. */
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const descriptions = {
  unknown: 'The access token is not known',
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
} as const;

/**
 * `oauth.protect(resolver, options?)`: wraps an msw resolver so that it runs only for a valid
 * Bearer access token issued by this mock, answering like a strict resource server otherwise:
 * - no `Authorization`, or another scheme: 401, `WWW-Authenticate: Bearer realm="…"` (no error code);
 * - a malformed `Bearer` header: 400 `invalid_request`;
 * - an unknown, expired or revoked token: 401 `invalid_token`;
 * - a token without the required `scope`: 403 `insufficient_scope`.
 *
 * Error answers carry a `{ error, error_description }` JSON body as well.
 *
 * @example
 * ```ts
 * http.get('https://api.test/me', oauth.protect(({ claims }) => HttpResponse.json({ sub: claims.sub })));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export type Protect = <Params extends PathParams<keyof Params> = PathParams>(
  resolver: (info: ProtectedResolverInfo<Params>) => ReturnType<HttpResponseResolver<Params>>,
  options?: ProtectOptions,
) => HttpResponseResolver<Params>;

/** Makes the guard bound to the mock's tokens. */
export function createProtect(tokens: TokenRegistry, clock: Clock, realm: string): Protect {
  const challenge = (status: number, params: Record<string, string> = {}): Response => {
    const auth = Object.entries({ realm, ...params })
      .map(([name, value]) => `${name}=${quoted(value)}`)
      .join(', ');
    const body =
      params.error === undefined
        ? null
        : JSON.stringify({ error: params.error, error_description: params.error_description });
    return new Response(body, {
      status,
      headers: {
        'WWW-Authenticate': `Bearer ${auth}`,
        Date: new Date(clock.now()).toUTCString(),
        ...(body === null ? {} : { 'Content-Type': 'application/json' }),
      },
    });
  };

  return function protect<Params extends PathParams<keyof Params>>(
    resolver: (info: ProtectedResolverInfo<Params>) => ReturnType<HttpResponseResolver<Params>>,
    options: ProtectOptions = {},
  ): HttpResponseResolver<Params> {
    if (typeof resolver !== 'function') throw new TypeError('protect: resolver must be a function');
    const required = options.scope === undefined ? [] : scopeTokens(options.scope);
    if (required === undefined)
      throw new TypeError('protect: scope must be scope-tokens (RFC 6749 §3.3)');
    return (info) => {
      const header = info.request.headers.get('authorization');
      // RFC 6750 §3.1: no credentials, or another scheme: a challenge without an error code.
      if (header === null || !/^Bearer(?: |$)/i.test(header)) return challenge(401);
      const match = bearer.exec(header);
      if (match === null) {
        const error_description = 'Malformed Bearer credentials';
        return challenge(400, { error: 'invalid_request', error_description });
      }
      const accessToken = match[1]!;
      const claims = tokens.verifyAccessToken(accessToken);
      if (typeof claims === 'string')
        return challenge(401, { error: 'invalid_token', error_description: descriptions[claims] });
      const granted = new Set(claims.scope?.split(' ') ?? []);
      if (!required.every((token) => granted.has(token))) {
        const scope = required.join(' ');
        const error_description = 'The access token lacks the required scope';
        return challenge(403, { error: 'insufficient_scope', error_description, scope });
      }
      return resolver({ ...info, claims, accessToken });
    };
  };
}
