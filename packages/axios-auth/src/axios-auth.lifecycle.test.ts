/**
 * axiosAuth over an instance's life: what axios keeps of a registration once it is ejected,
 * axios's `timeout` over the wait for a token, and what axiosAuth refuses to register on.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  type LoopbackServer,
  renderings,
  startServer,
} from '@tokenwise/test-kit';
import axios, { type AxiosAdapter, isAxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axiosAuth } from './index.ts';

let server: LoopbackServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startServer();
  tokens = managerOf(server);
});
afterEach(async () => {
  await tokens.close();
  await server.close();
});

function managerOf(of: LoopbackServer): TokenManager {
  return createTokenManager({
    flow: clientCredentials({ tokenUrl: of.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
}

/** A fetch of its own, so that axios keeps one fetch adapter for it, whatever else ran. */
const ownFetch: typeof fetch = (input, init) => fetch(input, init);

/** Runs the garbage collector until `collected()` holds, or gives up after a few rounds. */
async function collectUntil(collected: () => boolean): Promise<boolean> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 20 && !collected(); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return collected();
}

describe('after eject()', () => {
  it('axios keeps nothing of the registration (fetch adapter): its token manager can be collected', async () => {
    const freed = new Set<string>();
    const registry = new FinalizationRegistry<string>((name) => freed.add(name));
    await (async () => {
      const own = managerOf(server);
      const api = axios.create({
        baseURL: server.origin,
        adapter: 'fetch',
        env: { fetch: ownFetch },
      });
      const eject = axiosAuth(api, { tokens: own, headers: { 'X-Tenant-Id': 't' } });
      expect((await api.get('/members')).status).toBe(200);
      eject();
      await own.close();
      registry.register(own, 'token manager');
    })();
    expect(await collectUntil(() => freed.has('token manager'))).toBe(true);
  });
});

describe('an answer', () => {
  it.each(['http', 'fetch'] as const)(
    'shows no token in the request it carries (%s adapter)',
    async (adapter) => {
      const api = axios.create({ baseURL: server.origin, adapter });
      axiosAuth(api, { tokens, headers: { 'X-Tenant-Key': 'tenant-key-91d2' } });
      const response = await api.get('/members');
      expect(server.apiCalls[0]?.headers.authorization).toBe('Bearer tok-1');
      for (const rendering of renderings(response.request)) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain('tenant-key-91d2');
      }
    },
  );
});

describe("axios's timeout", () => {
  it('covers the wait for a token: the call fails as axios fails a timeout, and sends nothing', async () => {
    const release = server.holdTokens();
    const api = axios.create({ baseURL: server.origin });
    axiosAuth(api, { tokens });
    const error = await api.get('/members', { timeout: 100 }).catch((caught: unknown) => caught);
    release();
    expect(isAxiosError(error) && error.code).toBe('ECONNABORTED');
    expect(isAxiosError(error) && error.message).toBe('timeout of 100ms exceeded');
    expect(server.apiCalls).toHaveLength(0);
  });

  it("gives the request only what is left of it after the wait, and the caller's config its own back", async () => {
    let sentWith: number | undefined;
    const adapter: AxiosAdapter = async (config) => {
      sentWith = config.timeout;
      return { data: '', status: 200, statusText: 'OK', headers: {}, config, request: {} };
    };
    server.tokenDelayMs = 200;
    const api = axios.create({ baseURL: server.origin, adapter, timeout: 5_000 });
    axiosAuth(api, { tokens });
    const env = { ...api.defaults.env };
    const { config } = await api.get('/members');
    expect(sentWith).toBeGreaterThan(0);
    expect(sentWith).toBeLessThanOrEqual(4_800);
    // What interceptors, retry plugins and a config sent again see: the caller's own members.
    expect(config.timeout).toBe(5_000);
    expect(config.env).toEqual(env);
    expect(config.fetchOptions).toBeUndefined();
    expect(config.beforeRedirect).toBeUndefined();
  });
});

describe('what axiosAuth registers on', () => {
  it('refuses anything but an axios instance with a TypeError that says what it expected', () => {
    // What a got instance looks like: a function with `defaults` and `extend`, no interceptors.
    const gotLike = Object.assign(() => {}, {
      defaults: { options: {}, handlers: [] },
      extend() {},
    });
    for (const client of [gotLike, fetch, {}, null]) {
      expect(() => axiosAuth(client as never, { tokens })).toThrow(TypeError);
      expect(() => axiosAuth(client as never, { tokens })).toThrow(
        /^axiosAuth: expected an axios instance \(axios\.create\(\)\), got /,
      );
    }
  });

  it('refuses an axios instance where its token manager belongs', () => {
    const api = axios.create({ baseURL: server.origin });
    expect(() => axiosAuth(api, { tokens: api as never })).toThrow(
      /^axiosAuth: tokens must be a token manager from createTokenManager\(\) or a function of the request returning one, got a function.* \(an HTTP client\)$/,
    );
  });
});
