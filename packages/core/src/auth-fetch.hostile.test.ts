/**
 * createAuthFetch's adapter contract (@tokenwise/test-kit): attaching the token, origins,
 * redirects, the one re-send after a 401 and its bounds, bodies, aborting, token endpoint
 * failures, header hygiene and what a caller's error shows, run on core's own source.
 */
import {
  type AdapterDriver,
  describeAdapter,
  fetchInit,
  readResponse,
  type SentRequest,
} from '@tokenwise/test-kit';
import { type AuthFetch, type AuthRequestInit, createAuthFetch } from './auth-fetch.ts';
import { TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const init = (request: SentRequest): AuthRequestInit => ({
  ...fetchInit(request),
  skipAuth: request.skipAuth,
});

const fetchDriver: AdapterDriver<AuthFetch, TokenManager, Flow> = {
  core: {
    createTokenManager,
    clientCredentials,
    isTokenEndpointError: (error) => error instanceof TokenEndpointError,
  },
  lacks: { baseUrl: 'createAuthFetch has no base URL' },
  client: ({ baseUrl: _, ...options }) => createAuthFetch(options),
  send: async (fetch, request) => readResponse(await fetch(request.url, init(request))),
  outcome: (fetch, request) => fetch(request.url, init(request)).catch((error: unknown) => error),
  status: (outcome) => (outcome instanceof Response ? outcome.status : undefined),
  isNetworkError: (outcome) => outcome instanceof TypeError && outcome.message === 'fetch failed',
  isAbortError: (outcome, reason) => outcome === reason,
};

describeAdapter('createAuthFetch', fetchDriver);
