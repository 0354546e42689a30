import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import type { PapayaConfig } from './tokens.ts';

export function papayaFetch(tokens: TokenManager, config: PapayaConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin], // only the API receives the token
  });
}
