/**
 * The default store key of a flow's tokens.
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
