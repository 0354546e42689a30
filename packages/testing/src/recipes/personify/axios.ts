import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { PersonifyConfig } from './tokens.ts';

export function personifyAxios(tokens: TokenManager, config: PersonifyConfig): AxiosInstance {
  const api = axios.create({ baseURL: config.apiUrl });
  axiosAuth(api, { tokens, headers: { 'X-Tenant-Id': config.tenantId } });
  return api;
}
