import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { PaConfig } from './tokens.ts';

export function paAxios(tokens: TokenManager, config: PaConfig): AxiosInstance {
  const api = axios.create({ baseURL: config.apiUrl });
  axiosAuth(api, { tokens });
  return api;
}
