import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { PapayaConfig } from './tokens.ts';

export function papayaAxios(tokens: TokenManager, config: PapayaConfig): AxiosInstance {
  const api = axios.create({ baseURL: config.apiUrl });
  axiosAuth(api, { tokens });
  return api;
}
