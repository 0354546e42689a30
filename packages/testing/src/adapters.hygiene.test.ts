import { fileURLToPath } from 'node:url';
import { axiosAuth } from '@tokenwise/axios-auth';
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  type TokenManager,
  TokenwiseError,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import { runScript } from '@tokenwise/test-kit';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as chaosServer from './chaos/chaos-server.ts';
import * as seeded from './chaos/seeded-random.ts';
import { renderings } from './test-support/renderings.ts';

const secret = 'secret-HYG-adapters-6e0d2a';
const noFaults = Object.fromEntries(
  chaosServer.tokenFaults.map((fault: chaosServer.TokenFault) => [fault, fault === 'ok' ? 1 : 0]),
) as Record<chaosServer.TokenFault, number>;

let server: chaosServer.ChaosServer;
beforeAll(async () => {
  server = await chaosServer.startChaosServer({
    random: seeded.seededRandom(9),
    clients: [
      { id: 'good', secret },
      { id: 'wrong-secret', secret: 'secret-HYG-other-client' },
    ],
    tokenFaultWeights: noFaults,
    apiFaultWeights: { ok: 1, revoke: 0, 'spurious-401': 0, '503': 0 },
    apiDelayMs: [0, 0],
    lifetimesSeconds: [2],
  });
});
afterAll(() => server.close());

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});
function manage(clientId = 'good'): TokenManager {
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret: secret }),
    retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 },
    timeoutMs: 200,
    failureBackoffMs: 0,
  });
  managers.push(tokens);
  return tokens;
}

/** One GET of the chaos API (`/api`) through each adapter, with an optional abort signal. */
const clients: Record<string, (tokens: TokenManager, signal?: AbortSignal) => Promise<unknown>> = {
  fetch: async (tokens, signal) => {
    const response = await createAuthFetch({ tokens })(server.apiUrl, {
      ...(signal ? { signal } : {}),
    });
    return response.text();
  },
  axios: (tokens, signal) => {
    const api = axios.create({ baseURL: server.origin });
    axiosAuth(api, { tokens });
    return api.get('/api', signal ? { signal } : {});
  },
  got: (tokens, signal) =>
    got
      .extend({ prefixUrl: server.origin, retry: { limit: 0 } }, gotAuth({ tokens }))
      .get('api', signal ? { signal } : {})
      .text(),
  ky: (tokens, signal) =>
    ky
      .create({ ...kyAuth({ tokens }), prefix: server.origin, retry: 0 })
      .get('api', signal ? { signal } : {})
      .text(),
};

describe.each(Object.entries(clients))('%s', (_, send) => {
  test('a request aborted while its token is fetched: the client’s abort error, then a usable manager', async () => {
    const tokens = manage();
    const stats = server.stats.get('good') as chaosServer.ChaosClientStats;
    const before = { tokens: stats.tokenRequests, api: server.apiAnswers['200'] ?? 0 };
    const release = server.holdTokens();
    const controller = new AbortController();
    const aborted = send(tokens, controller.signal).then(
      () => expect.unreachable('the request should be aborted'),
      (error: unknown) => error,
    );
    while (stats.tokenRequests === before.tokens) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    const error = (await aborted) as Error;
    expect(error instanceof TokenwiseError).toBe(false);
    expect(`${error.name} ${(error as { code?: string }).code ?? ''}`).toMatch(
      /AbortError|CanceledError|ERR_CANCELED/,
    );
    release();
    await send(tokens);
    expect(stats.tokenRequests - before.tokens, 'token requests').toBe(1);
    expect((server.apiAnswers['200'] ?? 0) - before.api, 'API calls').toBe(1);
  });

  test.each([
    ['a wrong client secret (401 invalid_client)', [], 'wrong-secret'],
    ['an HTML login page with 200', ['html'], 'good'],
    ['truncated JSON holding a token', ['malformed-json'], 'good'],
    ['connections reset half-way through a token answer', ['lost-answer', 'lost-answer'], 'good'],
    ['connections reset before the answer', ['reset', 'reset'], 'good'],
    ['a token endpoint that never answers', ['stall', 'stall'], 'good'],
  ] as const)(
    '%s: the manager’s typed error, with no secret down its cause chain',
    async (_, faults, clientId) => {
      server.queueTokenFaults(...faults);
      const error = await send(manage(clientId)).then(
        () => expect.unreachable('the request should fail'),
        (error: unknown) => error,
      );
      expect(error instanceof TokenwiseError, String(error)).toBe(true);
      const shown = renderings(error);
      for (const token of [secret, ...server.issuedTokens()]) expect(shown).not.toContain(token);
    },
  );
});

test('a process using every adapter, its manager left open with a background refresh behind it, exits by itself', async () => {
  const script = `
    import axios from 'axios';
    import got from 'got';
    import ky from 'ky';
    import { clientCredentials, createAuthFetch, createTokenManager, TokenwiseError } from '@tokenwise/core';
    import { axiosAuth } from '@tokenwise/axios-auth';
    import { gotAuth } from '@tokenwise/got-auth';
    import { kyAuth } from '@tokenwise/ky-auth';
    const [tokenUrl, origin, clientSecret] = process.argv.slice(1);
    let clock = Date.now();
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl, clientId: 'good', clientSecret }),
      now: () => clock,
    });
    const api = axios.create({ baseURL: origin });
    axiosAuth(api, { tokens });
    const results = [
      (await createAuthFetch({ tokens })(origin + '/api')).status,
      (await api.get('/api')).status,
      (await got.extend({ prefixUrl: origin }, gotAuth({ tokens })).get('api')).statusCode,
      (await ky.create({ ...kyAuth({ tokens }), prefix: origin }).get('api')).status,
    ];
    clock += 1_500; // the 2 s token is stale: served, and refreshed in the background
    results.push((await api.get('/api')).status);
    console.log(results.join(' '));
  `;
  const { code, signal, stdout, stderr } = await runScript(
    script,
    [server.tokenUrl, server.origin, secret],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), killAfterMs: 20_000 },
  );
  expect({ code, signal, stdout }, stderr).toEqual({
    code: 0,
    signal: null,
    stdout: '200 200 200 200 200',
  });
}, 30_000);
