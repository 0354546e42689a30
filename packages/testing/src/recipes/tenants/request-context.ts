import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenRegistry } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';

const currentTenant = new AsyncLocalStorage<string>();

/** Runs `work` for `tenant`: your framework's request hook calls it with the incoming request's tenant. */
export function asTenant<T>(tenant: string, work: () => T): T {
  return currentTenant.run(tenant, work);
}

/** Every request made while handling a tenant's request carries that tenant's token. */
export function tenantKy(tenants: TokenRegistry, apiUrl: string): KyInstance {
  return ky.create({
    ...kyAuth({
      tokens: () => {
        const tenant = currentTenant.getStore();
        if (tenant === undefined)
          throw new TypeError('no tenant: call the vendor inside asTenant()');
        return tenants.get(tenant);
      },
    }),
    prefix: apiUrl,
  });
}
