import { axiosAuth } from '@tokenwise/axios-auth';
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  type TokenManager,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import axios from 'axios';
import got, { type RequestFunction } from 'got';
import ky from 'ky';
import { benchClient } from '../server.ts';
import type { Contender, Session, Target } from './contender.ts';
import { countWaits } from './count-waits.ts';

/** A manager for the bench client, with the race counter when the target asks for it. */
function tokensFor(target: Target): { tokens: TokenManager; raceWaits?: () => number } {
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: target.tokenUrl,
      clientId: benchClient.id,
      clientSecret: benchClient.secret,
    }),
    fetch: target.transport?.tokenFetch,
    onEvent: target.onEvent,
  });
  if (!target.countWaits) return { tokens };
  const counted = countWaits(tokens);
  return { tokens: counted.tokens, raceWaits: counted.waited };
}

function session(
  send: Session['send'],
  tokens: TokenManager,
  raceWaits: (() => number) | undefined,
): Session {
  return { send, raceWaits, close: () => tokens.close() };
}

/**
 * tokenwise's `createAuthFetch` (in `@tokenwise/core`), set up as its README shows.
 *
 * @example
 * ```ts
 * const session = tokenwiseFetch.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const tokenwiseFetch: Contender = {
  name: 'tokenwise fetch',
  client: 'fetch',
  kind: 'tokenwise',
  connect(target) {
    const { tokens, raceWaits } = tokensFor(target);
    const authedFetch = createAuthFetch({
      tokens,
      origins: [target.baseUrl],
      fetch: target.transport?.fetch,
    });
    return session(
      async (path, headers) => {
        const res = await authedFetch(`${target.baseUrl}/${path}`, headers && { headers });
        await res.arrayBuffer();
        return res.status;
      },
      tokens,
      raceWaits,
    );
  },
};

/**
 * `@tokenwise/axios-auth` on an axios instance with a `baseURL`.
 *
 * @example
 * ```ts
 * const session = tokenwiseAxios.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const tokenwiseAxios: Contender = {
  name: 'tokenwise axios',
  client: 'axios',
  kind: 'tokenwise',
  connect(target) {
    const { tokens, raceWaits } = tokensFor(target);
    const api = axios.create({
      baseURL: target.baseUrl,
      validateStatus: () => true,
      ...(target.transport && { adapter: target.transport.axiosAdapter }),
    });
    axiosAuth(api, { tokens });
    return session(
      async (path, headers) => (await api.get(path, headers && { headers })).status,
      tokens,
      raceWaits,
    );
  },
};

/**
 * `@tokenwise/got-auth` on a got instance with a `prefixUrl`.
 *
 * @example
 * ```ts
 * const session = tokenwiseGot.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const tokenwiseGot: Contender = {
  name: 'tokenwise got',
  client: 'got',
  kind: 'tokenwise',
  connect(target) {
    const { tokens, raceWaits } = tokensFor(target);
    const api = got.extend(
      {
        prefixUrl: target.baseUrl,
        throwHttpErrors: false,
        retry: { limit: 0 },
        ...(target.transport && {
          request: target.transport.gotRequest as unknown as RequestFunction,
        }),
      },
      gotAuth({ tokens }),
    );
    return session(
      async (path, headers) => (await api(path, headers && { headers })).statusCode,
      tokens,
      raceWaits,
    );
  },
};

/**
 * `@tokenwise/ky-auth` on a ky instance with a `prefix`.
 *
 * @example
 * ```ts
 * const session = tokenwiseKy.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const tokenwiseKy: Contender = {
  name: 'tokenwise ky',
  client: 'ky',
  kind: 'tokenwise',
  connect(target) {
    const { tokens, raceWaits } = tokensFor(target);
    const api = ky.create({
      ...kyAuth({ tokens }),
      ...(target.transport && { fetch: target.transport.fetch }),
      prefix: target.baseUrl,
      throwHttpErrors: false,
      retry: 0,
    });
    return session(
      async (path, headers) => {
        const res = await api(path, headers && { headers });
        await res.arrayBuffer();
        return res.status;
      },
      tokens,
      raceWaits,
    );
  },
};
