import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { PartnerConfig } from './tokens.ts';

export function partnerAxios(tokens: TokenManager, config: PartnerConfig): AxiosInstance {
  const api = axios.create({ baseURL: config.apiUrl });
  axiosAuth(api, { tokens });
  return api;
}
