/** Each adapter registered with its defaults on an API base URL: no vendor specifics. */
import { axiosAuth } from '@tokenwise/axios-auth';
import { createAuthFetch, type TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { type Call, type ClientName, type ClientRecipes, callerFor } from './callers.ts';

const plain: ClientRecipes<{ readonly apiUrl: string }, TokenManager> = {
  fetch: (tokens, { apiUrl }) => createAuthFetch({ tokens, origins: [new URL(apiUrl).origin] }),
  axios: (tokens, { apiUrl }) => {
    const api = axios.create({ baseURL: apiUrl });
    axiosAuth(api, { tokens });
    return api;
  },
  got: (tokens, { apiUrl }) => got.extend({ prefixUrl: apiUrl }, gotAuth({ tokens })),
  ky: (tokens, { apiUrl }) => ky.create({ ...kyAuth({ tokens }), prefix: apiUrl }),
};

/** `call(path)` through adapter `name` with `tokens`, on `apiUrl`. */
export function plainCaller(name: ClientName, tokens: TokenManager, apiUrl: string): Call {
  return callerFor(name, plain[name](tokens, { apiUrl }), apiUrl);
}
