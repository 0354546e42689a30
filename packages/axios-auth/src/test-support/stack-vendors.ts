/**
 * Vendors for the tests of axiosAuth inside real stacks: each vendor is a loopback server (token
 * endpoint and API) with its own token manager, and tokens named after it (`<name>-tok-<n>`), so
 * that a token sent to the wrong vendor shows.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import type { AxiosInstance } from 'axios';
import { axiosAuth } from '../index.ts';

/**
 * A vendor: its own loopback server (token endpoint and API) and its own token manager.
 *
 * @example
 * ```ts
 * const billing: Vendor = await startVendor('billing');
 * billing.server.revokeAll();
 * ```
 */
export interface Vendor {
  readonly name: string;
  readonly server: LoopbackServer;
  readonly tokens: TokenManager;
}

const managers: TokenManager[] = [];

/**
 * Closes every vendor started so far: its manager, then its server.
 *
 * @example
 * ```ts
 * afterEach(closeVendors);
 * ```
 */
export async function closeVendors(): Promise<void> {
  await Promise.all(managers.splice(0).map((tokens) => tokens.close()));
  await closeAllServers();
}

/**
 * A vendor whose tokens are named after it (`<name>-tok-<n>`), so that a stray token shows.
 *
 * @example
 * ```ts
 * const vendors = { a: await startVendor('a'), b: await startVendor('b') };
 * ```
 */
export async function startVendor(name: string): Promise<Vendor> {
  const server = await startServer({ accessTokenPrefix: `${name}-tok-` });
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
  managers.push(tokens);
  return { name, server, tokens };
}

/**
 * Registers axiosAuth on `api` for `vendor`: its manager, its origin only, and an `X-Vendor`
 * header naming it. Returns the eject function.
 *
 * @example
 * ```ts
 * const api = axios.create();
 * authorizeVendor(api, billing);
 * authorizeVendor(api, crm);
 * ```
 */
export function authorizeVendor(api: AxiosInstance, vendor: Vendor): () => void {
  return axiosAuth(api, {
    tokens: vendor.tokens,
    origins: [vendor.server.origin],
    headers: { 'X-Vendor': vendor.name },
  });
}

/**
 * The tokens a vendor's API received (the `Authorization` header of each call), in order.
 *
 * @example
 * ```ts
 * expect(received(crm)).toEqual(['Bearer crm-tok-1', 'Bearer crm-tok-2']);
 * ```
 */
export function received(vendor: Vendor): (string | undefined)[] {
  return vendor.server.apiCalls.map((call) => call.headers.authorization);
}

/**
 * The error `promise` rejects with; throws if it fulfils instead.
 *
 * @example
 * ```ts
 * expect(await rejection(api.get('/members'))).toBeInstanceOf(ApiError);
 * ```
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}
