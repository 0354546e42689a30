/**
 * kyAuth's adapter contract (@tokenwise/test-kit), on ky 2: attaching the token, origins,
 * redirects, the one re-send after a 401 and its bounds, bodies, aborting, token endpoint
 * failures, header hygiene and what a caller's error shows.
 */
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
  fetchInit,
  readResponse,
  type SentRequest,
} from '@tokenwise/test-kit';
import ky, { isHTTPError, isNetworkError, type KyInstance, type Options } from 'ky';
import { kyAuth } from './index.ts';

const options = (request: SentRequest): Options => ({
  ...fetchInit(request),
  ...(request.skipAuth && { context: { skipAuth: true } }),
});

const driver: AdapterDriver<KyInstance, TokenManager, Flow> = {
  core: {
    createTokenManager,
    clientCredentials,
    isTokenEndpointError: (error) => error instanceof TokenEndpointError,
  },
  client: ({ baseUrl, ...auth }) => ky.create({ ...kyAuth(auth), ...(baseUrl && { baseUrl }) }),
  send: async (api, request) =>
    readResponse(await api(request.url, { ...options(request), throwHttpErrors: false })),
  outcome: (api, request) => api(request.url, options(request)).catch((error: unknown) => error),
  status: (outcome) => (isHTTPError(outcome) ? outcome.response.status : undefined),
  isNetworkError: (outcome) => isNetworkError(outcome),
  isAbortError: (outcome, reason) => outcome === reason,
};

describeAdapter('kyAuth (ky 2)', driver);
