import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import type { PersonifyConfig } from './tokens.ts';

export function personifyFetch(tokens: TokenManager, config: PersonifyConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin], // only the API receives the token
    headers: { 'X-Tenant-Id': config.tenantId },
  });
}
