/**
 * createAuthFetch against broken and hostile peers: the adapter contract of @tokenwise/test-kit
 * (header hygiene, 401s from origins that never saw the token, bounded re-authorization, what a
 * caller's error shows), run on core's own source.
 */
import { type AdapterDriver, describeAdapter, readResponse } from '@tokenwise/test-kit';
import { type AuthFetch, createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const fetchDriver: AdapterDriver<AuthFetch, TokenManager, Flow> = {
  core: { createTokenManager, clientCredentials },
  client: ({ baseUrl: _, ...options }) => createAuthFetch(options),
  send: async (fetch, { url, ...init }) => readResponse(await fetch(url, init)),
  outcome: (fetch, { url, ...init }) => fetch(url, init).catch((error: unknown) => error),
  status: (outcome) => (outcome instanceof Response ? outcome.status : undefined),
  isNetworkError: (outcome) => outcome instanceof TypeError && outcome.message === 'fetch failed',
};

describeAdapter('createAuthFetch', fetchDriver);
