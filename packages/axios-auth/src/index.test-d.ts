import { clientCredentials, createTokenManager } from '@tokenwise/core';
import axios, { type AxiosRequestConfig } from 'axios';
import { describe, expectTypeOf, it } from 'vitest';
import { type AxiosAuthOptions, axiosAuth } from './index.ts';

const tokens = createTokenManager({
  flow: clientCredentials({
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'id',
    clientSecret: 's',
  }),
});
const api = axios.create({ baseURL: 'https://api.example.com' });

describe('axiosAuth', () => {
  it('takes an instance and the common options, and returns an eject function', () => {
    expectTypeOf(axiosAuth).parameters.toEqualTypeOf<[typeof api, AxiosAuthOptions]>();
    expectTypeOf(axiosAuth(api, { tokens })).toEqualTypeOf<() => void>();
    axiosAuth(api, {
      tokens,
      origins: ['https://api.example.com', new URL('https://eu.example.com')],
      headers: { 'X-Tenant-Id': 'tenant' },
      retryOn401: false,
    });
    axiosAuth(api, { tokens, headers: (url) => ({ 'X-Region': url.hostname }) });
    axiosAuth(api, { tokens, headers: async () => ({ 'X-Tenant-Id': 'tenant' }) });
  });

  it('rejects wrong options', () => {
    // @ts-expect-error tokens is required
    axiosAuth(api, {});
    // @ts-expect-error tokens must be a token manager
    axiosAuth(api, { tokens: 'secret' });
    // @ts-expect-error origins is an array, not a string
    axiosAuth(api, { tokens, origins: 'https://api.example.com' });
    // @ts-expect-error header values are strings
    axiosAuth(api, { tokens, headers: { 'X-Tenant-Id': 42 } });
    // @ts-expect-error the header function returns headers
    axiosAuth(api, { tokens, headers: () => 'tenant' });
    // @ts-expect-error retryOn401 is a boolean
    axiosAuth(api, { tokens, retryOn401: 'yes' });
    // @ts-expect-error unknown option
    axiosAuth(api, { tokens, skipAuth: true });
    // @ts-expect-error the first argument is an axios instance
    axiosAuth({ baseURL: 'https://api.example.com' }, { tokens });
  });
});

describe('skipAuth', () => {
  it('is an optional boolean on every axios request config', () => {
    expectTypeOf<AxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    void api.get('/health', { skipAuth: true });
    void api.post('/events', { a: 1 }, { skipAuth: false });
    void api.request({ url: '/health', skipAuth: true });
    void axios.create({ skipAuth: true });
  });

  it('rejects non-boolean values', () => {
    // @ts-expect-error skipAuth is a boolean
    void api.get('/health', { skipAuth: 'yes' });
    // @ts-expect-error skipAuth is a boolean
    void api.request({ url: '/health', skipAuth: 1 });
  });
});
