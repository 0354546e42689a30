// The program each runtime runs against the loopback token server and API (see
// loopback-server.ts): plain JavaScript, so Deno, Bun and workerd run it as it is.
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  TokenEndpointError,
} from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky from 'ky';

/** The secret the loopback token server accepts. */
export const secret = 'right-secret';

/** A manager for `clientId` on the loopback token server. */
export function manager(tokenUrl, clientId, options = {}) {
  return createTokenManager({
    flow: clientCredentials({ tokenUrl, clientId, clientSecret: options.secret ?? secret }),
    retry: false,
    ...options.manager,
  });
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
  const endpoint = [error, error?.cause].find((candidate) => candidate instanceof TokenEndpointError);
  return {
    name: error?.name,
    endpointError:
      endpoint === undefined
        ? undefined
        : { status: endpoint.status, code: endpoint.code, error: endpoint.error },
  };
}

/**
 * Runs the four scenarios for one client, with client ids prefixed by `prefix`:
 * `cold` (N concurrent calls, one token request), `resend` (a 401 after revocation is re-sent once
 * with a new token), `renewal` (2-second tokens renewed ahead of expiry while calls keep going),
 * `wrongSecret` (a typed error).
 */
export async function runScenarios({ tokenUrl, apiUrl, client, prefix, concurrency = 10 }) {
  const result = {};
  const cold = manager(tokenUrl, `${prefix}-cold`);
  const send = await client(cold);
  result.cold = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => send(`${apiUrl}/api/${i}`)),
  );
  await fetch(`${apiUrl}/revoke?client=${prefix}-cold`, { method: 'POST' }).then((r) => r.text());
  result.resend = await send(`${apiUrl}/api/after-revoke`);
  await cold.close();

  const short = manager(tokenUrl, `short-${prefix}`);
  const renew = await client(short);
  const statuses = [];
  const waits = [];
  const until = performance.now() + 3_000;
  while (performance.now() < until) {
    const started = performance.now();
    statuses.push(await renew(`${apiUrl}/api/renewal`));
    waits.push(Math.round(performance.now() - started));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  result.renewal = { statuses, slowestAfterFirst: Math.max(...waits.slice(1)) };
  await short.close();

  const wrong = manager(tokenUrl, `${prefix}-bad`, { secret: 'wrong-secret' });
  const bad = await client(wrong);
  try {
    result.wrongSecret = { status: await bad(`${apiUrl}/api/wrong`) };
  } catch (error) {
    result.wrongSecret = describeError(error);
  }
  await wrong.close();
  return result;
}
