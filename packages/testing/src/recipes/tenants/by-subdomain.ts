import type { TokenRegistry } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';

/**
 * The tenant is the subdomain: `https://acme.api.example.com/…` is acme's. A URL outside
 * `apiDomain` is refused before anything is sent.
 */
export function tenantGot(tenants: TokenRegistry, apiDomain: string): Got {
  return got.extend(
    gotAuth({ tokens: ({ url }) => tenants.get(tenantOf(new URL(url).hostname, apiDomain)) }),
  );
}

function tenantOf(hostname: string, apiDomain: string): string {
  const suffix = `.${apiDomain}`;
  if (!hostname.endsWith(suffix))
    throw new TypeError(`${hostname} is not a tenant of ${apiDomain}`);
  return hostname.slice(0, -suffix.length);
}
