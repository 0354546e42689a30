import axios, { type AxiosInstance } from 'axios';
import got, { type Got, type Hooks, type RequestFunction } from 'got';
import ky, { type Hooks as KyHooks, type KyInstance } from 'ky';
import { staticToken } from '../server.ts';
import type { Contender, Session, Target } from './contender.ts';

/** The header every floor sends. */
export const authorization = `Bearer ${staticToken}`;

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
  connect: (target) => axiosSession(staticAxios(target)),
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
  connect: (target) => gotSession(staticGot(target)),
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
  connect: (target) => kySession(staticKy(target)),
};

/**
 * The floor's axios instance (static header), for the references to add idle interceptors to.
 *
 * @example
 * ```ts
 * const api = staticAxios(target);
 * ```
 */
export function staticAxios(target: Target): AxiosInstance {
  return axios.create({
    baseURL: target.baseUrl,
    headers: { Authorization: authorization },
    validateStatus: () => true,
    ...(target.transport && { adapter: target.transport.axiosAdapter }),
  });
}

/**
 * The floor's got instance (static header), with `hooks` when given; `headers: {}` leaves the
 * header for the hooks to set.
 *
 * @example
 * ```ts
 * const api = staticGot(target, { beforeRequest: [() => {}] });
 * ```
 */
export function staticGot(
  target: Target,
  hooks?: Partial<Hooks>,
  headers: Record<string, string> = { authorization },
): Got {
  return got.extend({
    prefixUrl: target.baseUrl,
    headers,
    throwHttpErrors: false,
    retry: { limit: 0 },
    ...(target.transport && {
      request: target.transport.gotRequest as unknown as RequestFunction,
    }),
    ...(hooks && { hooks }),
  });
}

/**
 * The floor's ky instance (static header), with `hooks` when given.
 *
 * @example
 * ```ts
 * const api = staticKy(target, { init: [() => {}] });
 * ```
 */
export function staticKy(target: Target, hooks?: KyHooks): KyInstance {
  return ky.create({
    prefix: target.baseUrl,
    headers: { authorization },
    throwHttpErrors: false,
    retry: 0,
    ...(target.transport && { fetch: target.transport.fetch }),
    ...(hooks && { hooks }),
  });
}

/**
 * A session sending through an axios instance.
 *
 * @example
 * ```ts
 * const session = axiosSession(staticAxios(target));
 * ```
 */
export function axiosSession(api: AxiosInstance): Session {
  return {
    send: async (path, headers) => (await api.get(path, headers && { headers })).status,
    close: async () => {},
  };
}

/**
 * A session sending through a got instance.
 *
 * @example
 * ```ts
 * const session = gotSession(staticGot(target));
 * ```
 */
export function gotSession(api: Got): Session {
  return {
    send: async (path, headers) => (await api(path, headers && { headers })).statusCode,
    close: async () => {},
  };
}

/**
 * A session sending through a ky instance, reading each body.
 *
 * @example
 * ```ts
 * const session = kySession(staticKy(target));
 * ```
 */
export function kySession(api: KyInstance): Session {
  return {
    async send(path, headers) {
      const res = await api(path, headers && { headers });
      await res.arrayBuffer();
      return res.status;
    },
    close: async () => {},
  };
}
