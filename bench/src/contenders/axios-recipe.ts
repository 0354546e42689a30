import axios, { type AxiosError } from 'axios';
import { type AxiosAuthRefreshOptions, createAuthRefresh } from 'axios-auth-refresh';
import { clientCredentials } from 'axios-oauth-client';
import { benchClient } from '../server.ts';
import { type Contender, statusOf } from './contender.ts';

/**
 * The axios recipe: `axios-oauth-client` fetches client-credentials tokens and
 * `axios-auth-refresh` answers a 401 by fetching one and re-sending, as their READMEs show. A
 * request interceptor attaches the last token; before the first 401 there is none.
 */
function axiosRecipe(name: string, options: AxiosAuthRefreshOptions): Contender {
  return {
    name,
    client: 'axios',
    kind: 'anchor',
    connect(target) {
      const adapter = target.transport?.axiosAdapter;
      const tokenAdapter = target.transport?.tokenAxiosAdapter;
      const getToken: (scope?: string) => Promise<{ access_token: string }> = clientCredentials(
        axios.create(tokenAdapter ? { adapter: tokenAdapter } : {}),
        target.tokenUrl,
        benchClient.id,
        benchClient.secret,
      );
      let accessToken: string | undefined;
      const api = axios.create({ baseURL: target.baseUrl, ...(adapter && { adapter }) });
      api.interceptors.request.use((config) => {
        if (accessToken !== undefined) config.headers.Authorization = `Bearer ${accessToken}`;
        return config;
      });
      // axios-auth-refresh's types see axios's CommonJS declarations: the same instance, typed twice.
      createAuthRefresh(
        api as unknown as Parameters<typeof createAuthRefresh>[0],
        async (failed: AxiosError) => {
          const auth = await getToken();
          accessToken = auth.access_token;
          if (failed.response)
            failed.response.config.headers.Authorization = `Bearer ${accessToken}`;
        },
        options,
      );
      return {
        send: (path, headers) =>
          api.get(path, headers && { headers }).then((res) => res.status, statusOf),
        close: async () => {},
      };
    },
  };
}

/**
 * axios-auth-refresh with its default options (`deduplicateRefresh: true`): while a refresh
 * runs, the instance is paused, new requests queue behind it and further 401s are not handled.
 *
 * @example
 * ```ts
 * const session = axiosAuthRefresh.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const axiosAuthRefresh: Contender = axiosRecipe('axios-auth-refresh', {});

/**
 * axios-auth-refresh with `deduplicateRefresh: false`: every 401 is handled, sharing the refresh
 * in flight, if any.
 *
 * @example
 * ```ts
 * const session = axiosAuthRefreshNoDedupe.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const axiosAuthRefreshNoDedupe: Contender = axiosRecipe(
  'axios-auth-refresh (deduplicateRefresh: false)',
  { deduplicateRefresh: false },
);
