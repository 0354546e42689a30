import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';

/** What the bookings API gives a partner. */
export interface PartnerConfig {
  /** The API host: the token endpoint is /api/oauth/token on it. */
  readonly baseUrl: string;
  /** The API base URL. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One manager per set of credentials: share it. `options` takes `store`, `onError`, … */
export function partnerTokens(
  config: PartnerConfig,
  options: Omit<TokenManagerOptions, 'flow'> = {},
): TokenManager {
  return createTokenManager({
    ...options,
    // JSON body with Accept: application/json. No refresh token: a new one is requested.
    flow: clientCredentials({
      tokenUrl: `${config.baseUrl}/api/oauth/token`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      bodyFormat: 'json',
    }),
  });
}
