/**
 * What the lifecycle tests hold a manager up with (promises that never settle, a fetch that
 * waits for its abort), the manager they make, and the error `close()` leaves its callers with.
 */
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '../token-manager.ts';
import { offlineFlow } from './offline-token-endpoint.ts';

/**
 * A promise that never settles: a store, fetch or handler that hangs.
 *
 * @example
 * const store = { get: async () => undefined, set: never<void>, delete: never<void> };
 */
export const never = <T>(): Promise<T> => new Promise<T>(() => {});

/**
 * A fetch that never answers, until its request is aborted.
 *
 * @example
 * const tokens = manage({ fetch: heldFetch });
 */
export const heldFetch: typeof globalThis.fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
  });

/**
 * What a caller of a closed manager is rejected with.
 *
 * @example
 * await expect(tokens.getToken()).rejects.toMatchObject(closed);
 */
export const closed = {
  name: 'ManagerClosedError',
  code: 'ERR_MANAGER_CLOSED',
  message: 'The token manager is closed',
};

/**
 * A manager of a client-credentials flow whose fetch answers a one-hour token at once, with a
 * store timeout (60 s) longer than any test; `options` replace any of these.
 *
 * @example
 * const tokens = manage({ store: hangingStore() });
 */
export function manage(options: Partial<TokenManagerOptions>): TokenManager {
  return createTokenManager({
    flow: offlineFlow(),
    fetch: async () => Response.json({ access_token: 'a', expires_in: 3600 }),
    storeTimeoutMs: 60_000,
    ...options,
  });
}
