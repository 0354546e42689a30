import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';

/** What PA gives your company. */
export interface PaConfig {
  /** https://<PA_AUTH_END_POINT> */
  readonly authUrl: string;
  /** The recommendations/search API base URL. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One manager per set of credentials: share it. `options` takes `store`, `onError`, … */
export function paTokens(
  config: PaConfig,
  options: Omit<TokenManagerOptions, 'flow'> = {},
): TokenManager {
  return createTokenManager({
    // PA's 25 h token should be reused for 24 h: renew in the background during the last hour.
    refreshAheadMs: 60 * 60 * 1000,
    ...options,
    flow: clientCredentials({
      tokenUrl: `${config.authUrl}/auth/connect/token`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
  });
}
