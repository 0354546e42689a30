import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import { isTokenRejection } from '@tokenwise/core/adapter';
import axios, { type AxiosInstance } from 'axios';

/**
 * An API that answers an expired token with a 403: configured as a rejection too, beside the
 * default (a 401, unless its challenge says `insufficient_scope`).
 */
export function forbiddenMeansExpired(tokens: TokenManager, apiUrl: string): AxiosInstance {
  const api = axios.create({ baseURL: apiUrl });
  axiosAuth(api, {
    tokens,
    reauthorizeOn: (answer) => answer.status === 403 || isTokenRejection(answer),
  });
  return api;
}
