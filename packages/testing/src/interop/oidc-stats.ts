/**
 * What an interop server pair counts: the provider's grants and refusals (from its own events),
 * introspections, and the protected API's calls and refusals.
 *
 * @module
 */
import type { Provider } from 'oidc-provider';

/**
 * Counters of one server pair.
 *
 * @example
 * ```ts
 * expect(server.stats).toMatchObject({ grants: ['client_credentials'], apiRejected: 0 });
 * ```
 */
export interface OidcStats {
  /** Successful token requests, by grant type, in order. */
  readonly grants: string[];
  /** Token requests refused, by `error`. */
  readonly grantErrors: string[];
  introspections: number;
  apiCalls: number;
  apiRejected: number;
  /** Errors oidc-provider reported as its own fault (must stay empty). */
  readonly serverErrors: Error[];
}

/**
 * Counters at zero.
 *
 * @example
 * ```ts
 * const stats = newOidcStats();
 * ```
 */
export function newOidcStats(): OidcStats {
  return {
    grants: [],
    grantErrors: [],
    introspections: 0,
    apiCalls: 0,
    apiRejected: 0,
    serverErrors: [],
  };
}

/**
 * Counts `provider`'s grants, refused grants and server errors into `stats`.
 *
 * @example
 * ```ts
 * countProviderEvents(provider, stats);
 * ```
 */
export function countProviderEvents(provider: Provider, stats: OidcStats): void {
  provider.on('grant.success', (ctx) => {
    stats.grants.push(String(ctx.oidc.params?.grant_type));
  });
  provider.on('grant.error', (_ctx, error) => {
    stats.grantErrors.push(error.error ?? error.message);
  });
  provider.on('server_error', (_ctx, error) => {
    stats.serverErrors.push(error);
  });
}
