/**
 * axiosAuth's adapter contract (@tokenwise/test-kit), through axios's http adapter and its fetch
 * adapter (attaching the token, origins, redirects, the one re-send after a 401 and its bounds,
 * bodies, aborting, token endpoint failures, header hygiene, what a caller's error shows), and
 * what only axios has against hostile peers (an error's config sent again).
 */
import { Readable } from 'node:stream';
import {
  clientCredentials,
  createTokenManager,
  type Flow,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import {
  type AdapterDriver,
  describeAdapter,
  renderings,
  type SentBody,
  type SentRequest,
  useLoopback,
} from '@tokenwise/test-kit';
import axios, {
  AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  isAxiosError,
  isCancel,
} from 'axios';
import { describe, expect, it } from 'vitest';
import { axiosAuth } from './axios-auth.ts';

/** The codes of axios's errors for a connection refused or dropped, by adapter. */
const networkCodes = ['ECONNREFUSED', 'ECONNRESET', 'ERR_NETWORK'];

/** A body of the suite as axios takes it as `data`. */
const data = (body: SentBody): unknown => {
  switch (body.kind) {
    case 'text':
      return body.text;
    case 'json':
      return body.json;
    case 'form':
      return new URLSearchParams({ ...body.form });
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'stream':
      return Readable.from(body.chunks);
  }
};

const config = ({ method, url, headers, body, signal, skipAuth }: SentRequest) =>
  ({
    method: method ?? 'GET',
    url,
    ...(headers && { headers }),
    ...(body && { data: data(body) }),
    ...(signal && { signal }),
    ...(skipAuth && { skipAuth }),
  }) satisfies AxiosRequestConfig;

const driver = (adapter: 'http' | 'fetch'): AdapterDriver<AxiosInstance, TokenManager, Flow> => ({
  core: {
    createTokenManager,
    clientCredentials,
    isTokenEndpointError: (error) => error instanceof TokenEndpointError,
  },
  client: ({ baseUrl, ...options }) => {
    const api = axios.create({ ...(baseUrl && { baseURL: baseUrl }), adapter });
    axiosAuth(api, options);
    return api;
  },
  send: async (api, request) => {
    const response = await api.request<string>({
      ...config(request),
      responseType: 'text',
      validateStatus: () => true,
    });
    return {
      status: response.status,
      headers: Object.fromEntries(
        Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
      ),
      body: response.data,
    };
  },
  outcome: (api, request) => api.request(config(request)).catch((error: unknown) => error),
  status: (outcome) => (isAxiosError(outcome) ? outcome.response?.status : undefined),
  isNetworkError: (outcome) =>
    isAxiosError(outcome) &&
    outcome.response === undefined &&
    networkCodes.includes(outcome.code ?? ''),
  isAbortError: (outcome) => isCancel(outcome),
});

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  describeAdapter(`axiosAuth (${adapter} adapter)`, driver(adapter));

  describe('an HTTP error', () => {
    const loopback = useLoopback({ createTokenManager, clientCredentials });

    it('has a config that can be sent again, with a fresh token and the extra headers', async () => {
      const { a: server, tokens } = loopback;
      const api = driver(adapter).client({
        tokens,
        baseUrl: server.origin,
        headers: { 'X-Tenant-Key': 'tenant-key-91d2' },
      });
      server.failApi(401, 401); // the request and its one re-send
      const error = await api.get('/members').catch((caught: unknown) => caught);
      if (!isAxiosError(error) || error.config === undefined) throw new Error('no config');
      expect(error.response?.status).toBe(401);
      const response = await api.request(error.config);
      expect(response.status).toBe(200);
      expect(server.apiCalls.at(-1)?.headers.authorization).toBe('Bearer tok-2');
      expect(server.apiCalls.at(-1)?.headers['x-tenant-key']).toBe('tenant-key-91d2');
    });

    it('raised after the answer arrived (by an interceptor of yours) shows no token', async () => {
      const { a: server, tokens } = loopback;
      const api = driver(adapter).client({
        tokens,
        baseUrl: server.origin,
        headers: { 'X-Tenant-Key': 'tenant-key-91d2' },
      });
      // The API answers 200; an interceptor (as axios's own JSON parsing does with
      // silentJSONParsing: false) turns the answer into an AxiosError carrying its request.
      api.interceptors.response.use((response) => {
        // Without the body: the test API echoes the request's headers, a real API does not.
        const answer = { ...response, data: undefined };
        throw new AxiosError(
          'unexpected body',
          'ERR_BAD_RESPONSE',
          response.config,
          response.request,
          answer,
        );
      });
      const error = await api.get('/members').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      for (const rendering of renderings(error)) {
        for (const token of server.issued) expect(rendering).not.toContain(token);
        expect(rendering).not.toContain('tenant-key-91d2');
      }
    });
  });
});
