import { type AuthFetch, createAuthFetch, type TokenRegistry } from '@tokenwise/core';

/** The tenant is the request's own `X-Tenant-Id` header: each request carries its tenant's token. */
export function tenantFetch(tenants: TokenRegistry, apiUrl: string): AuthFetch {
  return createAuthFetch({
    origins: [apiUrl],
    tokens: ({ headers }) => {
      const tenant = headers.get('x-tenant-id');
      if (tenant === null) throw new TypeError('a request to the vendor needs X-Tenant-Id');
      return tenants.get(tenant);
    },
  });
}
