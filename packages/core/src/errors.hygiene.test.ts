import {
  clientId,
  clientSecret,
  closeAllServers,
  closedPortUrl,
  type LoopbackServer,
  renderings,
  type ScriptedAnswer,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { errorCodes, TokenwiseError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { until } from './test-support/async.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

/** Secrets of our own making, distinct enough that a hit cannot be a coincidence. */
const startRefreshToken = 'rt-HYG-start-7a2c91';
const code = 'code-HYG-5d1e08';
const codeVerifier = `verifier-HYG-${'v'.repeat(40)}`;
const apiKey = 'ak-HYG-key-33f0b7';
const bodyAccessToken = 'at-HYG-in-body-c4e2';
const bodyRefreshToken = 'rt-HYG-in-body-91aa';

/** A server of its own per test: a refresh token or code seeded by one test is not another's. */
let server: LoopbackServer;
let deadUrl: string;
beforeAll(async () => {
  deadUrl = await closedPortUrl();
});
beforeEach(async () => {
  server = await startServer();
});

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await closeAllServers();
});

/** Everything a secret could hide in: every server-issued token so far, and ours. */
function secrets(): string[] {
  return [
    clientSecret,
    startRefreshToken,
    code,
    codeVerifier,
    apiKey,
    bodyAccessToken,
    bodyRefreshToken,
    ...server.issued,
    ...server.tokenRequests.flatMap((request) =>
      [request.params.refresh_token].filter((t): t is string => t !== undefined),
    ),
  ];
}

function expectNoSecret(error: unknown): void {
  const texts = renderings(error);
  expect(texts.length).toBeGreaterThan(4);
  for (const secret of secrets()) {
    const leaks = texts.filter((text) => text.includes(secret));
    expect(leaks, `"${secret}" leaks`).toEqual([]);
  }
}

/** The vendor flows read the OAuth field names, so the same answers fail the same way. */
const oauthFields = {
  accessToken: 'access_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
  expiresAt: 'expires_at',
  refreshToken: 'refresh_token',
};

/** Each flow, seeded on the server when it needs a refresh token or a code. */
const flows: Record<string, (url: string) => Flow | Promise<Flow>> = {
  'client credentials (form, client_secret_post)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret }),
  'client credentials (client_secret_basic)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret, clientAuth: 'client_secret_basic' }),
  'client credentials (JSON)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret, bodyFormat: 'json' }),
  'refresh token': async (tokenUrl) => {
    await server.acceptRefreshToken(startRefreshToken);
    return refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: startRefreshToken });
  },
  'authorization code + PKCE': async (tokenUrl) => {
    const redirectUri = 'https://app.example/cb';
    await server.acceptCode(code, { redirectUri, codeVerifier });
    return authorizationCode({ tokenUrl, clientId, clientSecret, code, codeVerifier, redirectUri });
  },
  'vendor JSON body': (url) =>
    tokenRequest({
      url,
      body: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        api_key: apiKey,
      },
      response: oauthFields,
    }),
  'vendor GET, key in the query string': (url) =>
    tokenRequest({
      url,
      method: 'GET',
      body: { api_key: apiKey, client_secret: clientSecret },
      response: oauthFields,
    }),
};

interface Scenario {
  /** Answers of the token endpoint, in order. */
  readonly answers?: readonly ScriptedAnswer[];
  /** Token URL other than the server's. */
  readonly url?: () => string;
  readonly timeoutMs?: number;
  /** Drive the manager to its error (default: one getToken). */
  readonly run?: (tokens: TokenManager, requestsBefore: number) => Promise<unknown>;
}

const padded = JSON.stringify({
  access_token: bodyAccessToken,
  refresh_token: bodyRefreshToken,
  pad: 'p'.repeat(1024 * 1024),
});

const scenarios: Record<string, Scenario> = {
  '401 invalid_client': {
    answers: [{ status: 401, body: { error: 'invalid_client', error_description: 'Unknown' } }],
  },
  '400 invalid_grant': { answers: [{ status: 400, body: { error: 'invalid_grant' } }] },
  '500 HTML page (retried)': {
    answers: [0, 1].map(() => ({ status: 500, body: '<html><b>Internal error</b></html>' })),
  },
  '503, then 503 again (retried)': {
    answers: [
      { status: 503, body: '' },
      { status: 503, body: { error: 'temporarily_unavailable' } },
    ],
  },
  '429 asking to wait longer than allowed': {
    answers: [{ status: 429, body: { error: 'slow_down' }, headers: { 'retry-after': '3600' } }],
  },
  'a redirect whose Location carries secrets': {
    answers: [
      {
        status: 302,
        body: '',
        headers: {
          location: `https://elsewhere.example/token?client_secret=${clientSecret}&access_token=${bodyAccessToken}`,
        },
      },
    ],
  },
  '200 HTML login page': { answers: [{ body: '<!doctype html><form>Sign in</form>' }] },
  '200 truncated JSON holding a token': {
    answers: [
      {
        body: `{"access_token":"${bodyAccessToken}","refresh_token":"${bodyRefreshToken}","expires_in":`,
        headers: { 'content-type': 'application/json' },
      },
    ],
  },
  '200 {error} beside a refresh token': {
    answers: [{ body: { error: 'invalid_scope', refresh_token: bodyRefreshToken } }],
  },
  '200 with tokens and an invalid expires_in': {
    answers: [
      {
        body: {
          access_token: bodyAccessToken,
          refresh_token: bodyRefreshToken,
          expires_in: 'soon',
        },
      },
    ],
  },
  '200 with tokens and a token_type object holding the token': {
    answers: [{ body: { access_token: bodyAccessToken, token_type: { scheme: bodyAccessToken } } }],
  },
  '200 with a token already expired': {
    answers: [{ body: { access_token: bodyAccessToken, expires_at: 1_000_000_000 } }],
  },
  '200 over the 1 MiB cap, holding tokens': {
    answers: [{ body: padded, headers: { 'content-type': 'application/json' } }],
  },
  'connection reset before the answer': {
    answers: [{ write: (res) => res.socket?.destroy() }, { write: (res) => res.socket?.destroy() }],
  },
  'connection reset half-way through a token answer': {
    answers: [0, 1].map(() => ({
      write: (res) => {
        const text = JSON.stringify({
          access_token: bodyAccessToken,
          refresh_token: bodyRefreshToken,
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write(text, () => res.socket?.destroy());
      },
    })),
  },
  'a timeout': { answers: [{ delayMs: 2_000 }, { delayMs: 2_000 }], timeoutMs: 40 },
  'a refused connection': { url: () => deadUrl },
  'closed while the request is in flight': {
    answers: [{ delayMs: 2_000 }],
    run: async (tokens, requestsBefore) => {
      const pending = tokens.getToken().catch((error: unknown) => error);
      await server.tokenRequestsReached(requestsBefore + 1);
      await tokens.close();
      return pending;
    },
  },
  'onTokenChange throwing': {
    run: (tokens) => tokens.getToken(),
  },
  'through createAuthFetch': {
    answers: [{ status: 401, body: { error: 'invalid_client' } }],
    run: (tokens) => createAuthFetch({ tokens })(server.url('/api')),
  },
};

describe.each(Object.entries(flows))('%s', (_, makeFlow) => {
  test.each(Object.entries(scenarios))(
    '%s: no secret in any rendering of the error',
    async (name, scenario) => {
      server.script(...(scenario.answers ?? []));
      const before = server.tokenRequests.length;
      const tokens = createTokenManager({
        flow: await makeFlow(scenario.url?.() ?? server.tokenUrl),
        retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 100 },
        timeoutMs: scenario.timeoutMs ?? 5_000,
        failureBackoffMs: 0,
        ...(name === 'onTokenChange throwing'
          ? {
              onTokenChange: () => {
                throw new Error('could not persist the token');
              },
            }
          : {}),
      });
      managers.push(tokens);
      const error = await (scenario.run ?? ((t: TokenManager) => t.getToken()))(
        tokens,
        before,
      ).then(
        (value) => (value instanceof Error ? value : expect.unreachable('expected a failure')),
        (e: unknown) => e,
      );
      // Later calls (re-authorization required, failure window, closed) fail without a request.
      const again = await tokens.getToken().catch((e: unknown) => e);
      // Every scripted answer was used (none is left over for the next test).
      expect(server.tokenRequests.length - before).toBeGreaterThanOrEqual(
        scenario.answers?.length ?? 0,
      );
      expect(error instanceof TokenwiseError, String(error)).toBe(true);
      expect(errorCodes).toContain((error as { code: string }).code);
      expectNoSecret(error);
      if (again instanceof Error) expectNoSecret(again);
    },
  );
});

test('a background refresh that fails reports an error without secrets to onError', async () => {
  await server.acceptRefreshToken(startRefreshToken);
  const errors: unknown[] = [];
  let clock = Date.now();
  const tokens = createTokenManager({
    flow: refreshToken({
      tokenUrl: server.tokenUrl,
      clientId,
      clientSecret,
      refreshToken: startRefreshToken,
    }),
    now: () => clock,
    onError: (error) => errors.push(error),
  });
  managers.push(tokens);
  const token = await tokens.getToken();
  server.script({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'Refresh token expired' },
  });
  clock = (token.expiresAt as number) - 60_000; // stale: served, and refreshed in the background
  expect((await tokens.getToken()).accessToken).toBe(token.accessToken);
  await until(() => errors.length > 0);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
  expectNoSecret(errors[0]);
});
