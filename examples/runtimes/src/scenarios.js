// The program each runtime runs against the test's two token servers (see token-servers.ts):
// plain JavaScript, so Deno, Bun and workerd run it as it is.
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  MemoryTokenStore,
  TokenEndpointError,
} from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky from 'ky';

/**
 * A manager for `clientId` on the token server at `origin` (its endpoint is `/token`), with
 * `secret`; `options` go to the manager.
 */
export function manager({ origin, clientId, secret, options = {} }) {
  return createTokenManager({
    flow: clientCredentials({ tokenUrl: `${origin}/token`, clientId, clientSecret: secret }),
    retry: false,
    ...options,
  });
}

/**
 * A `MemoryTokenStore` that counts the tokens written to it: the manager's store code (loaded on
 * first use) really ran in this runtime.
 */
export function countingStore() {
  const store = new MemoryTokenStore();
  const counting = {
    writes: 0,
    get: (key) => store.get(key),
    set: (key, token, ttlMs) => {
      counting.writes++;
      return store.set(key, token, ttlMs);
    },
    delete: (key) => store.delete(key),
  };
  return counting;
}

/**
 * Where `clientId` calls the API at `origin`: below its own path, so that what the server saw of
 * the client is the calls there.
 */
export function apiUrl(origin, clientId, name) {
  return `${origin}/api/${clientId}/${name}`;
}

/**
 * How each client sends `GET url` with a manager's tokens: resolves to the HTTP status, rejects
 * with whatever the client rejects with. `core` uses the manager alone (re-sending a 401 itself).
 */
export const clients = {
  core(tokens) {
    const send = async (url) => {
      const token = await tokens.getToken();
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${token.accessToken}` },
      });
      await response.body?.cancel();
      return { status: response.status, token: token.accessToken };
    };
    return async (url) => {
      const first = await send(url);
      if (first.status !== 401) return first.status;
      await tokens.invalidate(first.token);
      return (await send(url)).status;
    };
  },
  fetch(tokens) {
    const authFetch = createAuthFetch({ tokens });
    return async (url) => {
      const response = await authFetch(url);
      await response.body?.cancel();
      return response.status;
    };
  },
  ky(tokens) {
    const api = ky.create({ ...kyAuth({ tokens }), throwHttpErrors: false, retry: 0 });
    return async (url) => (await api.get(url)).status;
  },
};

/** Adds the Node-flavoured clients (axios and got) where the runtime can load them. */
export async function withNodeClients() {
  const [{ axiosAuth }, { default: axios }, { gotAuth }, { default: got }] = await Promise.all([
    import('@tokenwise/axios-auth'),
    import('axios'),
    import('@tokenwise/got-auth'),
    import('got'),
  ]);
  return {
    ...clients,
    axios(tokens) {
      const instance = axios.create({ validateStatus: () => true });
      axiosAuth(instance, { tokens });
      return async (url) => (await instance.get(url)).status;
    },
    got(tokens) {
      const api = got.extend(gotAuth({ tokens }), { throwHttpErrors: false, retry: { limit: 0 } });
      return async (url) => (await api.get(url)).statusCode;
    },
  };
}

/** What a failed call threw, as plain data: the error or its cause must be a TokenEndpointError. */
export function describeError(error) {
  const endpoint = [error, error?.cause].find(
    (candidate) => candidate instanceof TokenEndpointError,
  );
  return {
    name: error?.name,
    endpointError:
      endpoint === undefined
        ? undefined
        : { status: endpoint.status, code: endpoint.code, error: endpoint.error },
  };
}

/**
 * Runs the scenarios for one client, with client ids prefixed by `prefix`, against `servers`
 * (`{ standard, shortLived, bound, secret }`: three origins and the secret of every client id):
 * `cold` (N concurrent calls, one token request, through a shared store: the store code loads on
 * first use, so this runtime loads it), `resend` (a 401 after revocation is re-sent once
 * with a new token), `renewal` (2-second tokens renewed ahead of expiry while calls keep going),
 * `wrongSecret` (a typed error), and with `dpop`, `dpop` (a manager created with `dpop: true`: an
 * ES256 key made with this runtime's WebCrypto proves the token request and the API call).
 */
export async function runScenarios({ servers, client, prefix, concurrency = 10, dpop = false }) {
  const { standard, shortLived, bound, secret } = servers;
  const result = {};
  const coldId = `${prefix}-cold`;
  const store = countingStore();
  const cold = manager({ origin: standard, clientId: coldId, secret, options: { store } });
  const send = await client(cold);
  result.cold = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => send(apiUrl(standard, coldId, i))),
  );
  await fetch(`${standard}/revoke?client=${coldId}`, { method: 'POST' }).then((r) => r.text());
  result.resend = await send(apiUrl(standard, coldId, 'after-revoke'));
  result.storeWrites = store.writes;
  await cold.close();

  const shortId = `short-${prefix}`;
  const short = manager({ origin: shortLived, clientId: shortId, secret });
  const renew = await client(short);
  const statuses = [];
  const waits = [];
  const until = performance.now() + 3_000;
  while (performance.now() < until) {
    const started = performance.now();
    statuses.push(await renew(apiUrl(shortLived, shortId, 'renewal')));
    waits.push(Math.round(performance.now() - started));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  result.renewal = { statuses, slowestAfterFirst: Math.max(...waits.slice(1)) };
  await short.close();

  const badId = `${prefix}-bad`;
  const wrong = manager({ origin: standard, clientId: badId, secret: 'wrong-secret' });
  const bad = await client(wrong);
  try {
    result.wrongSecret = { status: await bad(apiUrl(standard, badId, 'wrong')) };
  } catch (error) {
    result.wrongSecret = describeError(error);
  }
  await wrong.close();

  if (dpop) {
    const dpopId = `${prefix}-dpop`;
    const proving = manager({ origin: bound, clientId: dpopId, secret, options: { dpop: true } });
    result.dpop = await (await client(proving))(apiUrl(bound, dpopId, 'dpop'));
    await proving.close();
  }
  return result;
}
