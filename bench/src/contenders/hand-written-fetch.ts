import { staticToken } from '../server.ts';
import type { Contender } from './contender.ts';

/** The application's own token cache: one token per tenant, as a hand-written wrapper keeps them. */
const tokensByTenant = new Map<number, string>();
let tenants = 0;

/**
 * The least a hand-written fetch wrapper does per request, the yardstick of scenario 9: look the
 * tenant's token up in a `Map`, copy the caller's headers into `new Headers`, set
 * `Authorization`, call fetch. No expiry check, no renewal, no origin check, no re-send on a 401:
 * every session is one tenant with a token that never expires (the API accepts it).
 *
 * @example
 * ```ts
 * const session = handWrittenFetch.connect({ baseUrl, tokenUrl, transport });
 * await session.send('api/items'); // 200
 * ```
 */
export const handWrittenFetch: Contender = {
  name: 'hand-written wrapper (Map lookup, new Headers)',
  client: 'fetch',
  kind: 'reference',
  connect(target) {
    const tenant = tenants++;
    tokensByTenant.set(tenant, staticToken);
    const fetchImpl = target.transport?.fetch ?? globalThis.fetch;
    const authedFetch = (url: string, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${tokensByTenant.get(tenant)}`);
      return fetchImpl(url, { ...init, headers });
    };
    return {
      async send(path, headers) {
        const res = await authedFetch(`${target.baseUrl}/${path}`, headers && { headers });
        await res.arrayBuffer();
        return res.status;
      },
      close: async () => {
        tokensByTenant.delete(tenant);
      },
    };
  },
};
