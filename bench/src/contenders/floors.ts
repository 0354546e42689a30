import axios from 'axios';
import got, { type RequestFunction } from 'got';
import ky from 'ky';
import { staticToken } from '../server.ts';
import type { Contender } from './contender.ts';

const authorization = `Bearer ${staticToken}`;

/**
 * Bare fetch with a static `Authorization` header: the floor for fetch-based contenders.
 *
 * @example
 * ```ts
 * const session = bareFetch.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const bareFetch: Contender = {
  name: 'fetch (static header)',
  client: 'fetch',
  kind: 'floor',
  connect(target) {
    const fetchImpl = target.transport?.fetch ?? globalThis.fetch;
    return {
      async send(path, headers) {
        const res = await fetchImpl(`${target.baseUrl}/${path}`, {
          headers: { authorization, ...headers },
        });
        await res.arrayBuffer();
        return res.status;
      },
      close: async () => {},
    };
  },
};

/**
 * A bare axios instance with a static `Authorization` header.
 *
 * @example
 * ```ts
 * const session = bareAxios.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const bareAxios: Contender = {
  name: 'axios (static header)',
  client: 'axios',
  kind: 'floor',
  connect(target) {
    const api = axios.create({
      baseURL: target.baseUrl,
      headers: { Authorization: authorization },
      validateStatus: () => true,
      ...(target.transport && { adapter: target.transport.axiosAdapter }),
    });
    return {
      send: async (path, headers) => (await api.get(path, headers && { headers })).status,
      close: async () => {},
    };
  },
};

/**
 * A bare got instance with a static `Authorization` header.
 *
 * @example
 * ```ts
 * const session = bareGot.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const bareGot: Contender = {
  name: 'got (static header)',
  client: 'got',
  kind: 'floor',
  connect(target) {
    const api = got.extend({
      prefixUrl: target.baseUrl,
      headers: { authorization },
      throwHttpErrors: false,
      retry: { limit: 0 },
      ...(target.transport && {
        request: target.transport.gotRequest as unknown as RequestFunction,
      }),
    });
    return {
      send: async (path, headers) => (await api(path, headers && { headers })).statusCode,
      close: async () => {},
    };
  },
};

/**
 * A bare ky instance with a static `Authorization` header.
 *
 * @example
 * ```ts
 * const session = bareKy.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const bareKy: Contender = {
  name: 'ky (static header)',
  client: 'ky',
  kind: 'floor',
  connect(target) {
    const api = ky.create({
      prefix: target.baseUrl,
      headers: { authorization },
      throwHttpErrors: false,
      retry: 0,
      ...(target.transport && { fetch: target.transport.fetch }),
    });
    return {
      async send(path, headers) {
        const res = await api(path, headers && { headers });
        await res.arrayBuffer();
        return res.status;
      },
      close: async () => {},
    };
  },
};
