/**
 * No secret in any rendering of an error: every flow against every way a token request can
 * fail (HTTP errors, malformed answers carrying tokens, resets, timeouts, redirects, a closed
 * manager, a throwing `onTokenChange`, an error through createAuthFetch).
 */
import {
  clientSecret,
  closeAllServers,
  closedPortUrl,
  type LoopbackServer,
  type ScriptedAnswer,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { errorCodes, TokenwiseError } from './errors.ts';
import {
  bodyAccessToken,
  bodyRefreshToken,
  expectNoSecret,
  hygieneFlows,
} from './test-support/error-hygiene.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import type { TokenManager } from './token-manager.ts';

/** A server of its own per test: a refresh token or code seeded by one test is not another's. */
let server: LoopbackServer;
let deadUrl: string;
beforeAll(async () => {
  deadUrl = await closedPortUrl();
});
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => closeAllServers());
const manage = managersClosedAfterEach();

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

describe.each(Object.entries(hygieneFlows))('%s', (_, makeFlow) => {
  test.each(Object.entries(scenarios))(
    '%s: no secret in any rendering of the error',
    async (name, scenario) => {
      server.script(...(scenario.answers ?? []));
      const before = server.tokenRequests.length;
      const tokens = manage({
        flow: await makeFlow(scenario.url?.() ?? server.tokenUrl, server),
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
      expectNoSecret(error, server);
      if (again instanceof Error) expectNoSecret(again, server);
    },
  );
});
