import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import type { PaConfig } from './tokens.ts';

export function paFetch(tokens: TokenManager, config: PaConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin], // only the API receives the token
  });
}
