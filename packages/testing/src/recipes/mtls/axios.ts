import { Agent } from 'node:https';
import { axiosAuth } from '@tokenwise/axios-auth';
import type { TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance } from 'axios';
import type { MtlsConfig } from './tokens.ts';

export function mtlsAxios(tokens: TokenManager, config: MtlsConfig): AxiosInstance {
  const { key, cert, ca } = config.certificate;
  const api = axios.create({
    baseURL: config.apiUrl,
    httpsAgent: new Agent({ key, cert, ca }), // the certificate the tokens are bound to
  });
  axiosAuth(api, { tokens });
  return api;
}
