import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import type { PartnerConfig } from './tokens.ts';

export function partnerFetch(tokens: TokenManager, config: PartnerConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin], // only the API receives the token
  });
}
