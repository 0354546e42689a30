import {
  authorizationCode,
  createTokenManager,
  refreshToken,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';

/** Your Priava integration. */
export interface PriavaConfig {
  /** Your Priava host: the token endpoint is /rest/oauth/token on it. */
  readonly baseUrl: string;
  /** The REST API base URL. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly region: 'APAC' | 'EU' | 'US';
}

/** Where the latest refresh token lives between runs: a database row in production. */
export interface RefreshTokenVault {
  load(): Promise<string | undefined>;
  save(refreshToken: string): Promise<void>;
}

/**
 * The first run exchanges the code generated in Priava; later runs start from the saved refresh
 * token. Priava rotates refresh tokens: each new one is saved before it is used.
 */
export async function priavaTokens(
  config: PriavaConfig,
  vault: RefreshTokenVault,
  code?: string,
  options: Omit<TokenManagerOptions, 'flow'> = {},
): Promise<TokenManager> {
  const request = {
    tokenUrl: `${config.baseUrl}/rest/oauth/token`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
      TenantRegion: config.region,
    },
    params: { redirect_uri: config.redirectUri }, // on refreshes too
  };
  const saved = await vault.load();
  if (saved === undefined && code === undefined) {
    throw new Error('No saved Priava refresh token: generate a code in Priava and pass it');
  }
  const flow =
    saved !== undefined
      ? refreshToken({ ...request, refreshToken: saved })
      : authorizationCode({ ...request, code: code ?? '', redirectUri: config.redirectUri });
  return createTokenManager({
    ...options,
    flow,
    onTokenChange: async (token) => {
      if (token.refreshToken !== undefined) await vault.save(token.refreshToken);
    },
  });
}
