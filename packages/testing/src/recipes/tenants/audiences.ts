import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';

/**
 * Two APIs, one client: the billing API needs tokens for its own audience (an RFC 8707 resource
 * indicator), each cached on its own.
 */
export function twoApis(tokens: TokenManager, billingUrl: string): AuthFetch {
  const billing = new URL(billingUrl).origin;
  return createAuthFetch({
    tokens: ({ url }) =>
      new URL(url).origin === billing ? tokens.withParameters({ resource: billing }) : tokens,
  });
}
