/**
 * One way to call an API through each client, so a scenario runs the same for fetch, axios, got
 * and ky: `call(path)` resolves to the parsed JSON body, or rejects as the client does (fetch: an
 * {@link HttpStatusError} for a non-2xx status).
 */
import type { AuthFetch } from '@tokenwise/core';
import type { AxiosInstance } from 'axios';
import type { Got } from 'got';
import type { KyInstance } from 'ky';
import { expect } from 'vitest';

export const clientNames = ['fetch', 'axios', 'got', 'ky'] as const;
export type ClientName = (typeof clientNames)[number];

/** The instance each client's recipe returns. */
export interface Clients {
  fetch: AuthFetch;
  axios: AxiosInstance;
  got: Got;
  ky: KyInstance;
}

/** A recipe's four client builders, with one signature. */
export type ClientRecipes<Config, Tokens> = {
  readonly [K in ClientName]: (tokens: Tokens, config: Config) => Clients[K];
};

export type Call = (path: string) => Promise<unknown>;

export class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
    this.status = status;
  }
}

/** `call` for the instance `client` of `name`, whose base URL is `apiUrl` (for fetch). */
export function callerFor<K extends ClientName>(name: K, client: Clients[K], apiUrl: string): Call {
  switch (name) {
    case 'fetch': {
      const authedFetch = client as AuthFetch;
      return async (path) => {
        const res = await authedFetch(`${apiUrl}/${path}`);
        if (!res.ok) {
          await res.body?.cancel();
          throw new HttpStatusError(res.status);
        }
        return res.json();
      };
    }
    case 'axios': {
      const api = client as AxiosInstance;
      return async (path) => (await api.get(path)).data;
    }
    case 'got': {
      const api = client as Got;
      return (path) => api.get(path).json();
    }
    default: {
      const api = client as KyInstance;
      return (path) => api.get(path).json();
    }
  }
}

/** What `call` rejects with; the test fails if it succeeds. */
export function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable('the call succeeded'),
    (caught: unknown) => caught,
  );
}
