import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  TokenwiseError,
} from '@tokenwise/core';
import type { DemoClient, Send } from './clients.ts';
import { type DemoServer, demoClient } from './demo-server.ts';

/** One line of the report. */
export interface StepResult {
  client: string;
  step: string;
  requests: number;
  succeeded: number;
  tokenRequests: number;
  retried401: number;
  /** Requests that waited for a token request; `undefined` where not measured. */
  waited: number | undefined;
  p50Ms: number;
  ok: boolean;
  /** What was expected, with the figures seen: shown when the step fails. */
  note: string;
  /** The error the caller saw, as a user would print it (first line). */
  error?: string;
}

/** The steps each client runs, in order, with what each shows. */
export const steps = [
  {
    name: 'cold start',
    summary: '50 concurrent requests with an empty cache share 1 token request',
  },
  {
    name: '401 storm',
    summary:
      'token revoked: 50 POSTs get a 401, share 1 token request, are re-sent once with their body',
  },
  {
    name: 'background renewal',
    summary: '2 s tokens under steady traffic for 3.5 s are renewed ahead of expiry: nobody waits',
  },
  {
    name: 'wrong secret',
    summary: 'a manager with a wrong client secret: the typed error a caller sees, secret-free',
  },
] as const satisfies readonly { name: string; summary: string }[];

type StepName = (typeof steps)[number]['name'];

/**
 * Wraps a manager to count callers that had to wait for the token endpoint: a cached token is
 * handed out within microtasks, before a macrotask (setImmediate) can run.
 */
function countWaits(tokens: TokenManager): { tokens: TokenManager; waited: () => number } {
  let waited = 0;
  // A manager is a class instance: wrap it by delegating, not by spreading it.
  const wrapped: TokenManager = {
    invalidate: (accessToken) => tokens.invalidate(accessToken),
    close: () => tokens.close(),
    [Symbol.asyncDispose]: () => tokens.close(),
    cacheKey: () => tokens.cacheKey(),
    withParameters: (parameters) => tokens.withParameters(parameters),
    getToken: async (options) => {
      const pending = tokens.getToken(options);
      const raced = await Promise.race([
        pending.then(() => 'cached' as const),
        new Promise<'waited'>((r) => setImmediate(() => r('waited'))),
      ]);
      if (raced === 'waited') waited++;
      return pending;
    },
  };
  return { tokens: wrapped, waited: () => waited };
}

function manager(server: DemoServer, secret: string = demoClient.secret): TokenManager {
  return createTokenManager({
    flow: clientCredentials({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: demoClient.id,
      clientSecret: secret,
      scope: 'demo',
    }),
  });
}

async function timed(
  send: Send,
  path: string,
  init?: { method?: string; body?: string },
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const status = await send(path, init).catch(() => 0);
  return { status, ms: performance.now() - started };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

/** Runs the four steps for one client; `progress` is told before each step. */
export async function runScenario(
  client: DemoClient,
  server: DemoServer,
  progress: (step: string) => void,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const record = (
    step: StepName,
    before: DemoServer['stats'],
    outcomes: { status: number; ms: number }[],
    waited: number | undefined,
    ok: boolean,
    note: string,
    error?: string,
  ): void => {
    results.push({
      client: client.name,
      step,
      requests: outcomes.length,
      succeeded: outcomes.filter((o) => o.status === 200).length,
      tokenRequests: server.stats.tokenRequests - before.tokenRequests,
      retried401: server.stats.unauthorized - before.unauthorized,
      waited,
      p50Ms: median(outcomes.map((o) => o.ms)),
      ok,
      note,
      ...(error === undefined ? {} : { error }),
    });
  };

  // 1. Cold start: 50 concurrent requests share one token request.
  progress('50 concurrent cold requests');
  server.tokenLifetimeSeconds = 3600;
  const { tokens: cold, waited: coldWaited } = countWaits(manager(server));
  const send = client.wire(cold, server.url);
  let before = { ...server.stats };
  const coldOutcomes = await Promise.all(
    Array.from({ length: 50 }, (_, i) => timed(send, `/api/items/${i}`)),
  );
  const coldTokens = server.stats.tokenRequests - before.tokenRequests;
  record(
    'cold start',
    before,
    coldOutcomes,
    coldWaited(),
    coldTokens === 1 && coldOutcomes.every((o) => o.status === 200),
    `expected 1 token request and 50 answers 200, got ${coldTokens} token requests`,
  );

  // 2. Revocation: every request gets a 401, is retried once with one shared new token.
  progress('server revokes the token');
  server.revokeAll();
  before = { ...server.stats };
  const waitedBeforeStorm = coldWaited();
  const revoked = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      timed(send, '/api/orders', { method: 'POST', body: `{"order":${i}}` }),
    ),
  );
  const revokeTokens = server.stats.tokenRequests - before.tokenRequests;
  record(
    '401 storm',
    before,
    revoked,
    coldWaited() - waitedBeforeStorm,
    revokeTokens === 1 && revoked.every((o) => o.status === 200),
    `expected 1 token request and 50 answers 200, got ${revokeTokens} token requests and ${revoked.filter((o) => o.status === 200).length} answers 200`,
  );
  await cold.close();

  // 3. Short-lived tokens renewed in the background while traffic flows.
  progress('2 s tokens under steady traffic');
  server.tokenLifetimeSeconds = 2;
  const { tokens: counted, waited } = countWaits(manager(server));
  const steady = client.wire(counted, server.url);
  await steady('/api/warmup');
  const waitedBefore = waited();
  before = { ...server.stats };
  const steadyOutcomes: { status: number; ms: number }[] = [];
  const steadyMs = 3_500;
  const until = Date.now() + steadyMs;
  while (Date.now() < until) {
    steadyOutcomes.push(
      ...(await Promise.all(Array.from({ length: 5 }, () => timed(steady, '/api/feed')))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const steadyWaited = waited() - waitedBefore;
  const renewals = server.stats.tokenRequests - before.tokenRequests;
  record(
    'background renewal',
    before,
    steadyOutcomes,
    steadyWaited,
    steadyWaited === 0 && renewals >= 2 && steadyOutcomes.every((o) => o.status === 200),
    `expected at least 2 renewals, nobody waiting and every answer 200, got ${renewals} renewals and ${steadyWaited} waits`,
  );
  await counted.close();

  // 4. Wrong secret: the typed error, as a user sees it.
  progress('wrong client secret');
  const wrong = manager(server, 'not-the-secret');
  before = { ...server.stats };
  let shown: string | undefined;
  let ok = false;
  const started = performance.now();
  try {
    await client.wire(wrong, server.url)('/api/items/1');
  } catch (error) {
    const text = String(error);
    ok =
      error instanceof TokenwiseError &&
      error.code === 'ERR_TOKEN_ENDPOINT' &&
      !text.includes('not-the-secret');
    shown = text.split('\n')[0] ?? text;
  }
  record(
    'wrong secret',
    before,
    [{ status: 0, ms: performance.now() - started }],
    undefined,
    ok,
    shown === undefined
      ? 'expected a TokenEndpointError, the request did not fail'
      : 'expected a TokenEndpointError (ERR_TOKEN_ENDPOINT) without the secret',
    shown,
  );
  await wrong.close();
  return results;
}
