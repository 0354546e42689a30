import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
  tokenRequest,
} from '@tokenwise/core';

/** What Papaya Global's integration support gives you: the sandbox and production differ. */
export interface PapayaConfig {
  /** The authentication service of your environment (HTTPS in production). */
  readonly authUrl: string;
  /** The API base URL of the same environment. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly clientSecret: string;
  /** A name for the tokens (optional: Papaya picks a UUID). */
  readonly tokenName?: string;
}

/** One manager per set of credentials: share it. `options` takes `store`, `onError`, … */
export function papayaTokens(
  config: PapayaConfig,
  options: Omit<TokenManagerOptions, 'flow'> = {},
): TokenManager {
  return createTokenManager({
    ...options,
    flow: tokenRequest({
      url: `${config.authUrl}/token`,
      body: {
        api_key: config.apiKey,
        client_secret: config.clientSecret,
        token_name: config.tokenName,
      },
      successStatus: 201,
      response: { accessToken: 'token', expiresAt: 'valid_until' },
    }),
  });
}
