import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { PriavaConfig } from './tokens.ts';

export function priavaAxios(tokens: TokenManager, config: PriavaConfig): AxiosInstance {
  const api = axios.create({ baseURL: config.apiUrl });
  axiosAuth(api, { tokens });
  return api;
}
