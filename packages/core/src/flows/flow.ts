import type { TokenInput } from '../token.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import type { TokenParameters } from '../token-parameters.ts';

/**
 * A flow knows how to build the requests of one grant and read their answers. Flows never cache
 * and hold no state: the {@link TokenManager} decides when to call them. Write your own for an
 * exotic endpoint, or use {@link tokenRequest}.
 *
 * @example
 * ```ts
 * const flow: Flow = clientCredentials({ tokenUrl, clientId, clientSecret });
 * const tokens = createTokenManager({ flow });
 * ```
 */
export interface Flow {
  /** A short name for the grant (`client_credentials`, `authorization_code`, …). */
  readonly kind: string;
  /** The token endpoint URL, checked by the manager (`https:` unless loopback). */
  readonly tokenUrl: string;
  /**
   * What distinguishes this flow's tokens from another's: by default the whole request the flow
   * sends (URL, headers, body), so two tenants never share a cache entry. May contain secrets:
   * the manager only ever stores a SHA-256 digest of it. A function, so that logging or
   * serialising a flow never shows it.
   */
  cacheKeyMaterial(): string;
  /**
   * The request that obtains a token without a refresh token. `reusable: false` means it can be
   * sent once only (an authorization code); afterwards only refreshes can renew the token.
   */
  readonly initialGrant?: { readonly reusable: boolean; request(): TokenHttpRequest } | undefined;
  /** The refresh token to start from (e.g. loaded from a database); a function, like the above. */
  readonly initialRefreshToken?: (() => string) | undefined;
  /** Builds a refresh request (RFC 6749 §6); absent when the flow cannot refresh. */
  readonly refreshGrant?: ((refreshToken: string) => TokenHttpRequest) | undefined;
  /**
   * The same flow asking for other token parameters (scope, resource): what
   * `getToken({ scope, resource })` uses. Absent when the flow takes none (then they are refused).
   */
  readonly withParameters?: ((parameters: TokenParameters) => Flow) | undefined;
  /** Whether a status is a success answer; others become {@link TokenEndpointError}. */
  isSuccess(status: number): boolean;
  /** Reads a success answer into token fields; throws {@link TokenResponseError} when unusable. */
  parse(response: TokenHttpResponse): TokenInput;
}

/** The cache key material of a request: everything that makes it differ from another. */
export function requestKeyMaterial(request: TokenHttpRequest): string {
  return JSON.stringify([request.method, request.url, request.headers, request.body ?? null]);
}

/** Any 2xx. */
export function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}
