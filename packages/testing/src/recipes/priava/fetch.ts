import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import type { PriavaConfig } from './tokens.ts';

export function priavaFetch(tokens: TokenManager, config: PriavaConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin], // only the API receives the token
  });
}
