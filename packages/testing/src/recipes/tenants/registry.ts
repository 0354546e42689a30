import {
  clientCredentials,
  createTokenManager,
  createTokenRegistry,
  type TokenRegistry,
} from '@tokenwise/core';

/** A tenant's client credentials at the vendor: from your database or secrets manager. */
export interface TenantCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * One token manager per tenant, made on the tenant's first request. At most 1000 are kept (the
 * least recently used is closed beyond that), and one unused for 10 minutes is closed: a tenant
 * that comes back gets a new manager. Close the registry on shutdown.
 */
export function tenantTokens(
  tokenUrl: string,
  credentialsOf: (tenant: string) => TenantCredentials,
): TokenRegistry {
  return createTokenRegistry({
    create: (tenant) =>
      createTokenManager({ flow: clientCredentials({ tokenUrl, ...credentialsOf(tenant) }) }),
  });
}
