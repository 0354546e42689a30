/**
 * The four clients a chaos run drives (fetch via createAuthFetch, axios, got and ky), each
 * instrumented at its transport: the token every API request leaves with is checked against the
 * chaos server's ledger ({@link ApiSends}), and each request is named by its outcome (`'ok'`, an
 * error `code`, `http 401`/`http 5xx`, or `untyped: …`).
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import { axiosAuth } from '@tokenwise/axios-auth';
import {
  clientCredentials,
  createAuthFetch,
  refreshToken,
  type TokenManager,
  type TokenManagerOptions,
  TokenwiseError,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import axios, { isAxiosError } from 'axios';
import got, { HTTPError as GotHTTPError } from 'got';
import ky, { isHTTPError as isKyHTTPError } from 'ky';
import { type ApiSends, checkedFetch, checkSend, emptySends } from './api-sends.ts';
import type { ChaosClient, ChaosServer } from './chaos-server.ts';
import { failureOutcome, untyped } from './outcomes.ts';

/**
 * One client under chaos: its token manager, what its requests left with, and one request.
 *
 * @example
 * ```ts
 * const outcome = await adapter.send(); // 'ok', 'ERR_TOKEN_ENDPOINT', 'http 503', …
 * ```
 */
export interface InstrumentedAdapter {
  readonly name: string;
  readonly clientId: string;
  readonly tokens: TokenManager;
  readonly sends: ApiSends;
  readonly send: () => Promise<string>;
}

/**
 * Options of {@link instrumentedAdapters}.
 *
 * @example
 * ```ts
 * const options: InstrumentedAdapterOptions = { server, clients, manager: (flow) => createTokenManager({ flow }) };
 * ```
 */
export interface InstrumentedAdapterOptions {
  readonly server: ChaosServer;
  /** The server's clients, one per adapter, with the ids `chaos-fetch`, `chaos-axios`, … */
  readonly clients: readonly ChaosClient[];
  /** Builds the token manager of one adapter around its flow. */
  readonly manager: (flow: TokenManagerOptions['flow']) => TokenManager;
}

/**
 * The four adapters, in the order fetch, axios, got, ky, each with its own client and grant:
 * fetch sends a form body with client_secret_post, axios client_secret_basic, got a JSON body,
 * ky a rotating refresh token (`chaos-ky` needs its `refreshToken`).
 *
 * @example
 * ```ts
 * const adapters = instrumentedAdapters({ server, clients, manager });
 * const outcomes = await Promise.all(adapters.map((adapter) => adapter.send()));
 * ```
 */
export function instrumentedAdapters(options: InstrumentedAdapterOptions): InstrumentedAdapter[] {
  const setup: AdapterSetup = {
    server: options.server,
    manager: options.manager,
    credentials: (name) => {
      const client = options.clients.find((c) => c.id === `chaos-${name}`);
      if (client === undefined) throw new TypeError(`clients has no chaos-${name}`);
      return {
        tokenUrl: options.server.tokenUrl,
        clientId: client.id,
        clientSecret: client.secret,
      };
    },
  };
  return [fetchAdapter(setup), axiosAdapter(setup), gotAdapter(setup), kyAdapter(setup)];
}

/** What each adapter is built from. */
interface AdapterSetup {
  readonly server: ChaosServer;
  readonly manager: InstrumentedAdapterOptions['manager'];
  /** The token endpoint and the client `chaos-<name>`'s credentials. */
  readonly credentials: (name: string) => {
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
  };
}

/** fetch: client credentials, form body, client_secret_post. */
function fetchAdapter({ server, manager, credentials }: AdapterSetup): InstrumentedAdapter {
  const tokens = manager(clientCredentials(credentials('fetch')));
  const sends = emptySends();
  const authedFetch = createAuthFetch({
    tokens,
    origins: [server.origin],
    fetch: checkedFetch(server, sends),
  });
  const send = async () => {
    try {
      const response = await authedFetch(server.apiUrl);
      await response.arrayBuffer();
      if (response.status === 200) return 'ok';
      if (response.status === 401 || response.status >= 500) return `http ${response.status}`;
      return `untyped: status ${response.status}`;
    } catch (error) {
      return error instanceof TokenwiseError ? error.code : untyped(error);
    }
  };
  return { name: 'fetch', clientId: 'chaos-fetch', tokens, sends, send };
}

/** axios: client credentials, client_secret_basic; the http adapter, instrumented. */
function axiosAdapter({ server, manager, credentials }: AdapterSetup): InstrumentedAdapter {
  const tokens = manager(
    clientCredentials({ ...credentials('axios'), clientAuth: 'client_secret_basic' }),
  );
  const sends = emptySends();
  const http = axios.getAdapter('http');
  const api = axios.create({
    baseURL: server.origin,
    adapter: (config) => {
      checkSend(server, sends, config.headers.get('Authorization'));
      return http(config);
    },
  });
  axiosAuth(api, { tokens });
  const send = async () => {
    try {
      await api.get('/api');
      return 'ok';
    } catch (error) {
      return failureOutcome(error, isAxiosError(error) ? error.response?.status : undefined);
    }
  };
  return { name: 'axios', clientId: 'chaos-axios', tokens, sends, send };
}

/** got: client credentials as a JSON body; a beforeRequest hook after gotAuth's sees the header. */
function gotAdapter({ server, manager, credentials }: AdapterSetup): InstrumentedAdapter {
  const tokens = manager(clientCredentials({ ...credentials('got'), bodyFormat: 'json' }));
  const sends = emptySends();
  const api = got.extend(gotAuth({ tokens }), {
    prefixUrl: server.origin,
    hooks: {
      beforeRequest: [(options) => checkSend(server, sends, options.headers.authorization)],
    },
  });
  const send = async () => {
    try {
      await api.get('api');
      return 'ok';
    } catch (error) {
      const status = error instanceof GotHTTPError ? error.response.statusCode : undefined;
      return failureOutcome(error, status);
    }
  };
  return { name: 'got', clientId: 'chaos-got', tokens, sends, send };
}

/** ky: a rotating refresh token (the server's previous one stays valid until its successor is used). */
function kyAdapter({ server, manager, credentials }: AdapterSetup): InstrumentedAdapter {
  const tokens = manager(refreshToken({ ...credentials('ky'), refreshToken: 'rt.chaos-ky.0' }));
  const sends = emptySends();
  const api = ky.create({
    ...kyAuth({ tokens }),
    fetch: checkedFetch(server, sends),
    prefix: server.origin,
    timeout: false,
  });
  const send = async () => {
    try {
      await api.get('api').arrayBuffer();
      return 'ok';
    } catch (error) {
      return failureOutcome(error, isKyHTTPError(error) ? error.response.status : undefined);
    }
  };
  return { name: 'ky', clientId: 'chaos-ky', tokens, sends, send };
}
