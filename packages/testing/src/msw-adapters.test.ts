/**
 * Every tokenwise client against the mock: a cold start makes one token request; after
 * `revokeAll()` a call is answered by one renewal and one re-send with 200.
 *
 * tokenwise looks up the global `fetch` when it sends: a manager and a fetch wrapper created at
 * import time, before `server.listen()`, are intercepted like the others.
 */
import { axiosAuth } from '@tokenwise/axios-auth';
import {
  authorizationCode,
  clientCredentials,
  createAuthFetch,
  createPkcePair,
  createTokenManager,
  refreshToken,
  type TokenManager,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import { mockOAuthServer } from '@tokenwise/msw';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

const issuer = 'https://auth.test';
const api = 'https://api.test';
const redirectUri = 'https://app.test/callback';
const oauth = mockOAuthServer({
  issuer,
  clients: { app: 'secret' },
  accessTokenTtl: 3600,
  rotateRefreshTokens: true,
});
// Created at import time, as an application module would, before the test calls listen().
const importTimeTokens = createTokenManager({
  flow: clientCredentials({ tokenUrl: `${issuer}/token`, clientId: 'app', clientSecret: 'secret' }),
});
const importTimeFetch = createAuthFetch({ tokens: importTimeTokens, origins: [api] });
const protectedMe = oauth.protect(({ claims }) => HttpResponse.json({ sub: claims.sub }));
let apiCalls: number[] = [];
const server = setupServer(
  ...oauth.handlers,
  http.get(`${api}/me`, async (info) => {
    const response = (await protectedMe(info)) as Response;
    apiCalls.push(response.status);
    return response;
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((tokens) => tokens.close()));
  oauth.reset();
  apiCalls = [];
});
afterAll(async () => {
  await importTimeTokens.close();
  server.close();
});

test('a manager and a fetch wrapper created before server.listen() are intercepted', async () => {
  const response = await importTimeFetch(`${api}/me`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ sub: 'app' });
  expect(oauth.tokenRequests.map(({ grantType, status }) => ({ grantType, status }))).toEqual([
    { grantType: 'client_credentials', status: 200 },
  ]);
});

const tokenUrl = `${issuer}/token`;
const credentials = { tokenUrl, clientId: 'app', clientSecret: 'secret' } as const;

function manager(flow: Parameters<typeof createTokenManager>[0]['flow']): TokenManager {
  const tokens = createTokenManager({ flow });
  managers.push(tokens);
  return tokens;
}

/** A code and verifier, as the browser step would give them. */
async function authorized(): Promise<{ code: string; codeVerifier: string }> {
  const { codeVerifier, codeChallenge } = await createPkcePair();
  const code = await oauth.authorize({
    clientId: 'app',
    redirectUri,
    codeChallenge,
    scope: 'profile',
  });
  return { code, codeVerifier };
}

/** Cold start, then revokeAll(): one renewal and one re-send. */
async function expectRenewalOn401(call: () => Promise<number>, renewal: string): Promise<void> {
  expect(await call()).toBe(200);
  expect(oauth.tokenRequests).toHaveLength(1);
  expect(await call()).toBe(200); // cached
  expect(oauth.tokenRequests).toHaveLength(1);
  oauth.revokeAll();
  expect(await call()).toBe(200);
  expect(oauth.tokenRequests).toHaveLength(2);
  expect(oauth.tokenRequests[1]).toMatchObject({ grantType: renewal, status: 200 });
  expect(apiCalls).toEqual([200, 200, 401, 200]);
}

describe('@tokenwise/core createAuthFetch', () => {
  test('clientCredentials (client_secret_basic)', async () => {
    const tokens = manager(
      clientCredentials({ ...credentials, clientAuth: 'client_secret_basic' }),
    );
    const authedFetch = createAuthFetch({ tokens });
    await expectRenewalOn401(
      async () => (await authedFetch(`${api}/me`)).status,
      'client_credentials',
    );
    expect(oauth.tokenRequests[0]).toMatchObject({ clientAuth: 'client_secret_basic' });
  });

  test('authorizationCode with PKCE: renews with the rotated refresh token', async () => {
    const { code, codeVerifier } = await authorized();
    const tokens = manager(authorizationCode({ ...credentials, code, redirectUri, codeVerifier }));
    const authedFetch = createAuthFetch({ tokens });
    await expectRenewalOn401(async () => (await authedFetch(`${api}/me`)).status, 'refresh_token');
    expect(oauth.tokenRequests[0]).toMatchObject({
      grantType: 'authorization_code',
      clientAuth: 'client_secret_post',
    });
    // The next renewal sends the newest refresh token: the first one was rotated out.
    await tokens.getToken({ forceRefresh: true });
    const [, first, second] = oauth.tokenRequests;
    expect(second).toMatchObject({ grantType: 'refresh_token', status: 200 });
    expect(second?.refreshToken).not.toBe(first?.refreshToken);
  });

  test('refreshToken from a stored refresh token', async () => {
    const { code, codeVerifier } = await authorized();
    const exchange = await fetch(tokenUrl, {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa('app:secret')}` },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      }),
    });
    const { refresh_token } = (await exchange.json()) as { refresh_token: string };
    const tokens = manager(refreshToken({ ...credentials, refreshToken: refresh_token }));
    const authedFetch = createAuthFetch({ tokens });
    expect((await authedFetch(`${api}/me`)).status).toBe(200);
    oauth.revokeAll();
    expect((await authedFetch(`${api}/me`)).status).toBe(200);
    expect(oauth.tokenRequests.map((r) => [r.grantType, r.status])).toEqual([
      ['authorization_code', 200],
      ['refresh_token', 200],
      ['refresh_token', 200],
    ]);
    expect(apiCalls).toEqual([200, 401, 200]);
  });
});

describe('client adapters', () => {
  test('@tokenwise/axios-auth with axios', async () => {
    const client = axios.create({ baseURL: api });
    axiosAuth(client, { tokens: manager(clientCredentials(credentials)) });
    await expectRenewalOn401(async () => (await client.get('/me')).status, 'client_credentials');
  });

  test('@tokenwise/got-auth with got (node:http, intercepted by msw)', async () => {
    const client = got.extend(
      { prefixUrl: api, retry: { limit: 0 } },
      gotAuth({ tokens: manager(clientCredentials(credentials)) }),
    );
    await expectRenewalOn401(async () => (await client.get('me')).statusCode, 'client_credentials');
  });

  test('@tokenwise/ky-auth with ky', async () => {
    const client = ky.create({
      ...kyAuth({ tokens: manager(clientCredentials(credentials)) }),
      prefix: api,
      retry: 0,
    });
    await expectRenewalOn401(async () => (await client.get('me')).status, 'client_credentials');
  });
});
