import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';

/** What Personify gives you at onboarding. */
export interface PersonifyConfig {
  /** https://prod.personifyauth.com */
  readonly authUrl: string;
  /** Your REST API base URL. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
}

/** One manager per set of credentials: share it. `options` takes `store`, `onError`, … */
export function personifyTokens(
  config: PersonifyConfig,
  options: Omit<TokenManagerOptions, 'flow'> = {},
): TokenManager {
  return createTokenManager({
    ...options,
    flow: clientCredentials({
      tokenUrl: `${config.authUrl}/connect/token`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      scope: 'idp_api',
    }),
  });
}
