/**
 * The store key of a manager's tokens: the default one of a flow, and the one a manager uses.
 *
 * @module
 */
import type { Flow } from '../flows/flow.ts';

/**
 * `tokenwise:<grant>:<the first 128 bits of the SHA-256 of the flow's key material, in hex>`: two
 * flows that send different requests (another client, scope or tenant) never share an entry, and
 * no secret of the material is stored in clear.
 *
 * @example
 * ```ts
 * await digestCacheKey(clientCredentials({ tokenUrl, clientId, clientSecret })); // 'tokenwise:client_credentials:3f…'
 * ```
 */
export async function digestCacheKey(flow: Flow): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(flow.cacheKeyMaterial()),
  );
  const hex = Array.from(new Uint8Array(digest).subarray(0, 16), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `tokenwise:${flow.kind}:${hex}`;
}

/** What the store key of a manager is made of. */
export interface StoreKeySettings {
  readonly flow: Flow;
  /** The key the user chose; `undefined`: a digest of the flow's key material. */
  readonly cacheKey: string | undefined;
  /** With DPoP, the key's thumbprint ends the store key: only holders of the key share tokens. */
  readonly dpop?: { thumbprint(): Promise<string> } | undefined;
}

/** The store key of each manager's settings, worked out once (see {@link storeKey}). */
const storeKeys = new WeakMap<StoreKeySettings, Promise<string>>();

/**
 * The store key of a manager: the user's `cacheKey`, or {@link digestCacheKey} of its flow; with
 * DPoP, followed by `:dpop:<the key's JWK thumbprint>`. Worked out once per `settings` object, so
 * that the store, the events and `cacheKey()` share one digest; a key that failed to be worked
 * out (a key pair WebCrypto refused) is tried again on the next call.
 *
 * @example
 * ```ts
 * await storeKey({ flow, cacheKey: 'tenant-a', dpop: undefined }); // 'tenant-a'
 * ```
 */
export function storeKey(settings: StoreKeySettings): Promise<string> {
  let key = storeKeys.get(settings);
  if (key === undefined) {
    key = workOutStoreKey(settings);
    storeKeys.set(settings, key);
    const made = key;
    made.catch(() => {
      if (storeKeys.get(settings) === made) storeKeys.delete(settings);
    });
  }
  return key;
}

function workOutStoreKey({ flow, cacheKey, dpop }: StoreKeySettings): Promise<string> {
  const base = cacheKey !== undefined ? Promise.resolve(cacheKey) : digestCacheKey(flow);
  if (dpop === undefined) return base;
  return Promise.all([base, dpop.thumbprint()]).then(([start, jkt]) => `${start}:dpop:${jkt}`);
}
