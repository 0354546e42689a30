import { axiosAuth } from '@tokenwise/axios-auth';
import { createAuthFetch, type TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import axios from 'axios';
import got from 'got';
import ky from 'ky';

/** Sends one request to a path of the API; resolves to the HTTP status (errors reject). */
export type Send = (path: string, init?: { method?: string; body?: string }) => Promise<number>;

/** A client as a user would set it up: an instance for `baseUrl` wired to a token manager. */
export interface DemoClient {
  readonly name: string;
  wire(tokens: TokenManager, baseUrl: string): Send;
}

const json = { 'content-type': 'application/json' };

export const fetchClient: DemoClient = {
  name: 'fetch',
  wire(tokens, baseUrl) {
    const authedFetch = createAuthFetch({ tokens, origins: [baseUrl] });
    return async (path, init = {}) => {
      const res = await authedFetch(`${baseUrl}${path}`, { ...init, headers: json });
      await res.arrayBuffer();
      return res.status;
    };
  },
};

export const axiosClient: DemoClient = {
  name: 'axios',
  wire(tokens, baseUrl) {
    const api = axios.create({ baseURL: baseUrl, validateStatus: () => true });
    axiosAuth(api, { tokens });
    return async (path, init = {}) => {
      const res = await api.request({
        url: path,
        method: init.method ?? 'GET',
        ...(init.body === undefined ? {} : { data: init.body }),
        headers: json,
      });
      return res.status;
    };
  },
};

export const gotClient: DemoClient = {
  name: 'got',
  wire(tokens, baseUrl) {
    const api = got.extend(
      { prefixUrl: baseUrl, throwHttpErrors: false, retry: { limit: 0 } },
      gotAuth({ tokens }),
    );
    return async (path, init = {}) => {
      const res = await api(path.replace(/^\//, ''), {
        method: (init.method ?? 'GET') as 'GET',
        ...(init.body === undefined ? {} : { body: init.body }),
        headers: json,
      });
      return res.statusCode;
    };
  },
};

export const kyClient: DemoClient = {
  name: 'ky',
  wire(tokens, baseUrl) {
    const api = ky.create({
      ...kyAuth({ tokens }),
      prefix: baseUrl,
      throwHttpErrors: false,
      retry: 0,
    });
    return async (path, init = {}) => {
      const res = await api(path.replace(/^\//, ''), {
        method: init.method ?? 'GET',
        ...(init.body === undefined ? {} : { body: init.body }),
        headers: json,
      });
      await res.arrayBuffer();
      return res.status;
    };
  },
};

/** Every client the demo runs, in report order. */
export const demoClients: readonly DemoClient[] = [fetchClient, axiosClient, gotClient, kyClient];
