/** Options of the kit's loopback server, and the client it knows by default. */
import type { ClientConfig } from '@tokenwise/msw';

/**
 * The client the loopback server's token endpoint knows by default.
 *
 * @example
 * clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret });
 */
export const clientId = 'kit-client';

/**
 * The secret of {@link clientId}.
 *
 * @example
 * refreshToken({ tokenUrl: server.tokenUrl, clientId, clientSecret, refreshToken: 'refresh-start' });
 */
export const clientSecret = 'kit-secret-5d1c';

/**
 * Options of `startServer`.
 *
 * @example
 * const fleet = await startServer({ clients: { fleet: null }, refreshTokens: 'rotate' });
 * const plain = await startServer({ hostname: 'localhost', refreshTokens: 'omit' });
 */
export interface LoopbackServerOptions {
  /** The host name in `origin` (it always listens on 127.0.0.1). @default '127.0.0.1' */
  readonly hostname?: string;
  /** The registered clients, as the mock takes them. @default { [clientId]: clientSecret } */
  readonly clients?: Readonly<Record<string, ClientConfig>>;
  /** `'rotate'`: each refresh issues a new refresh token and retires the old one; `'omit'`: a
   * refresh answer carries no `refresh_token` and the old one stays valid. @default 'rotate' */
  readonly refreshTokens?: 'rotate' | 'omit';
  /** Access tokens are this prefix and a number. @default 'tok-' */
  readonly accessTokenPrefix?: string;
  /** The mock's clock (token expiry on the API). @default Date.now */
  readonly now?: () => number;
}
