import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';

/** The tenant of the incoming request, set by `withTenant` for everything the request does. */
const tenantContext = new AsyncLocalStorage<{ readonly tenantId: string }>();

/**
 * A Fastify `onRequest` hook: the rest of the request (its handler too) runs with its tenant in
 * the context. A request without `X-Tenant-Id` is answered 400.
 */
export function withTenant(
  request: { readonly headers: IncomingHttpHeaders },
  _reply: unknown,
  done: (error?: Error) => void,
): void {
  const tenantId = request.headers['x-tenant-id'];
  if (typeof tenantId !== 'string' || tenantId === '') {
    done(Object.assign(new Error('X-Tenant-Id is required'), { statusCode: 400 }));
    return;
  }
  tenantContext.run({ tenantId }, done);
}

function currentTenant(): string {
  const store = tenantContext.getStore();
  if (store === undefined) throw new Error('no tenant: call the vendor inside a request');
  return store.tenantId;
}

export interface VendorConfig {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** got's longest wait between two retries. */
  readonly backoffLimitMs?: number;
}

/** One token manager and one got instance for the whole service, created at startup. */
export function createVendorClient(config: VendorConfig): { vendor: Got; tokens: TokenManager } {
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
  });
  const vendor = got.extend(
    gotAuth({ tokens, headers: () => ({ 'X-Tenant-Id': currentTenant() }) }),
    {
      prefixUrl: config.apiUrl,
      retry: {
        limit: 2,
        statusCodes: [429, 502, 503, 504],
        backoffLimit: config.backoffLimitMs ?? 2_000,
      },
    },
  );
  return { vendor, tokens };
}

/** A route handler's body: the vendor call carries the tenant of the request being served. */
export async function getMember(vendor: Got, memberId: string): Promise<unknown> {
  return vendor(`members/${encodeURIComponent(memberId)}`).json();
}
