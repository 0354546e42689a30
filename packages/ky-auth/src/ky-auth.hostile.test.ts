/**
 * kyAuth against broken and hostile peers: the adapter contract of @tokenwise/test-kit, on ky 2.
 */
import {
  clientCredentials,
  createTokenManager,
  type Flow,
  type TokenManager,
} from '@tokenwise/core';
import { type AdapterDriver, describeAdapter, readResponse } from '@tokenwise/test-kit';
import ky, { isHTTPError, isNetworkError, type KyInstance } from 'ky';
import { kyAuth } from './index.ts';

const driver: AdapterDriver<KyInstance, TokenManager, Flow> = {
  core: { createTokenManager, clientCredentials },
  client: ({ baseUrl, ...options }) => ky.create({ ...kyAuth(options), baseUrl }),
  send: async (api, { url, ...init }) =>
    readResponse(await api(url, { ...init, throwHttpErrors: false })),
  outcome: (api, { url, ...init }) => api(url, init).catch((error: unknown) => error),
  status: (outcome) => (isHTTPError(outcome) ? outcome.response.status : undefined),
  isNetworkError: (outcome) => isNetworkError(outcome),
};

describeAdapter('kyAuth (ky 2)', driver);
