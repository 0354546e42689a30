/**
 * tokenwise on Deno, Bun and Cloudflare Workers (workerd through miniflare), each installed from
 * the npm registry as a dev dependency: a missing runtime fails these tests, it never skips them.
 * Each runtime runs `scenarios.js` against the two token servers of this process
 * (`token-servers.ts`: the kit's loopback server, twice).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientIds,
  clientSecret,
  recordOf,
  renewalAnswerDelayMs,
  startTokenServers,
  type TokenServers,
} from './token-servers.ts';
import { workerModules } from './worker-modules.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

const everyClient = ['core', 'fetch', 'ky', 'axios', 'got'];
const workerClients = ['core', 'fetch', 'ky'];

let servers: TokenServers;
beforeAll(async () => {
  const prefixes = (runtimes: string[], clients: string[]) =>
    runtimes.flatMap((runtime) => clients.map((client) => `${runtime}-${client}`));
  servers = await startTokenServers([
    ...prefixes(['deno', 'bun'], everyClient),
    ...prefixes(['workerd', 'workerd-2024'], workerClients),
  ]);
});
afterAll(() => servers.close());

/** What the programs get: the two origins and the secret of every client id. */
const programServers = () => ({
  standard: servers.standard.origin,
  shortLived: servers.shortLived.origin,
  bound: servers.bound.origin,
  secret: clientSecret,
});

interface Outcome {
  cold: number[];
  resend: number;
  /** Tokens the cold manager wrote to its store. */
  storeWrites: number;
  renewal: { statuses: number[]; slowestAfterFirst: number };
  wrongSecret: { name?: string; endpointError?: { status: number; error?: string } };
  dpop?: number;
}

/**
 * Ten concurrent calls on one token, then a call after its revocation: refused once, re-sent once
 * with a new token (`calls` counts the client's calls, re-sends not included).
 */
function expectColdStartAndResend(cold: string, calls: number): void {
  const record = recordOf(servers.standard, cold);
  expect(record.tokenRequests).toBe(2);
  expect(record.apiCalls).toHaveLength(calls + 1);
  const [revoked, renewed] = record.apiCalls.slice(-2).map((call) => call.headers.authorization);
  expect(revoked).toBe(record.apiCalls[0]?.headers.authorization);
  expect(renewed).not.toBe(revoked);
}

/**
 * 2-second tokens over 3 s of calls: renewed, and never used past expiry (the API would refuse
 * it and the client re-send the call, one API request more than its `calls`).
 */
function expectRenewedWithoutRefusal(short: string, calls: number): void {
  const record = recordOf(servers.shortLived, short);
  expect(record.apiCalls).toHaveLength(calls);
  expect(record.tokensUsed.size).toBeGreaterThanOrEqual(2);
}

/** What every client must show on every runtime; `prefix` is the client ids' prefix. */
function expectScenarios(outcome: Outcome, prefix: string): void {
  const ids = clientIds(prefix);
  expect(outcome.cold).toEqual(Array(10).fill(200));
  // A 401 after revocation: one new token, the request re-sent once.
  expect(outcome.resend).toBe(200);
  expectColdStartAndResend(ids.cold, 11);
  // Through its store: the store code, loaded on first use, ran here (its failure would not fail
  // a call: the manager goes on from memory).
  expect(outcome.storeWrites).toBeGreaterThanOrEqual(2);
  // Renewed in the background: a caller that waited for the token server took at least its delay.
  expect(outcome.renewal.statuses.every((status) => status === 200)).toBe(true);
  expectRenewedWithoutRefusal(ids.short, outcome.renewal.statuses.length);
  expect(outcome.renewal.slowestAfterFirst).toBeLessThan(renewalAnswerDelayMs);
  expect(outcome.wrongSecret.endpointError).toEqual({
    status: 401,
    code: 'ERR_TOKEN_ENDPOINT',
    error: 'invalid_client',
  });
  if (prefix.endsWith('-core')) return;
  expect(outcome.dpop).toBe(200);
  expectProvenOnce(ids.dpop);
}

/**
 * A DPoP manager's one token request and one API call, each with a proof (the API route checked
 * the call's against the token request's key): `Authorization: DPoP`.
 */
function expectProvenOnce(dpop: string): void {
  const record = recordOf(servers.bound, dpop);
  expect(record.tokenRequests).toBe(1);
  expect(record.apiCalls.map((call) => call.headers.authorization?.split(' ')[0])).toEqual([
    'DPoP',
  ]);
  expect(typeof record.apiCalls[0]?.headers.dpop).toBe('string');
}

/** Runs `cli.js` in a runtime; resolves to its JSON line per client. */
async function runCli(command: string, args: string[]): Promise<Record<string, Outcome>> {
  const { stdout, stderr } = await run(command, args, {
    cwd: root,
    env: {
      ...process.env,
      STANDARD_ORIGIN: servers.standard.origin,
      SHORT_LIVED_ORIGIN: servers.shortLived.origin,
      BOUND_ORIGIN: servers.bound.origin,
      CLIENT_SECRET: clientSecret,
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    },
    timeout: 30_000,
  });
  expect(stderr).toBe('');
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, Outcome>;
}

describe.concurrent('runtimes', () => {
  it('Deno 2: core, createAuthFetch, ky, axios and got', async () => {
    const { stdout } = await run(bin('deno'), ['--version']);
    expect(stdout).toMatch(/^deno 2\./);
    const results = await runCli(bin('deno'), [
      'run',
      '--no-lock',
      '--node-modules-dir=manual',
      '--allow-net=127.0.0.1',
      '--allow-read',
      '--allow-env',
      '--allow-sys',
      'src/cli.js',
      'deno',
    ]);
    expect(Object.keys(results)).toEqual(everyClient);
    for (const [client, outcome] of Object.entries(results))
      expectScenarios(outcome, `deno-${client}`);
  });

  it('Bun 1: core, createAuthFetch, ky, axios and got', async () => {
    const { stdout } = await run(bin('bun'), ['--version']);
    expect(stdout).toMatch(/^1\./);
    const results = await runCli(bin('bun'), ['src/cli.js', 'bun']);
    expect(Object.keys(results)).toEqual(everyClient);
    for (const [client, outcome] of Object.entries(results))
      expectScenarios(outcome, `bun-${client}`);
  });

  it('workerd: managers in global scope serve concurrent requests (core, createAuthFetch, ky)', async () => {
    const mf = new Miniflare({
      modules: workerModules({ servers: programServers(), prefix: 'workerd' }),
      modulesRoot: '/',
      compatibilityDate: '2025-09-01',
    });
    try {
      const call = async (client: string, manager: string) => {
        const started = performance.now();
        const response = await mf.dispatchFetch(
          `http://worker/?client=${client}&manager=${manager}`,
        );
        const body = (await response.json()) as { status?: number; error?: Outcome['wrongSecret'] };
        return { ...body, ms: performance.now() - started };
      };
      await Promise.all(
        workerClients.map(async (client) => {
          const ids = clientIds(`workerd-${client}`);
          // Cold start: 10 concurrent requests share the one token request of a shared manager.
          const cold = await Promise.all(Array.from({ length: 10 }, () => call(client, 'cold')));
          expect(cold.map((answer) => answer.status)).toEqual(Array(10).fill(200));
          expect(recordOf(servers.standard, ids.cold).tokenRequests).toBe(1);
          const revoke = servers.standard.url(`/revoke?client=${ids.cold}`);
          await fetch(revoke, { method: 'POST' }).then((response) => response.text());
          expect((await call(client, 'cold')).status).toBe(200);
          expectColdStartAndResend(ids.cold, 11);
          const stored = await mf.dispatchFetch(`http://worker/store-writes?client=${client}`);
          expect(((await stored.json()) as { writes?: number }).writes).toBeGreaterThanOrEqual(2);

          // 2-second tokens, two requests at a time for 3 s: renewed ahead of expiry by one
          // request (kept alive by waitUntil), awaited by none.
          const renewal = await calls(3_000, () => call(client, 'short'));
          expect(renewal.map((answer) => answer.status).every((status) => status === 200)).toBe(
            true,
          );
          expect(Math.max(...renewal.slice(2).map((answer) => answer.ms))).toBeLessThan(
            renewalAnswerDelayMs,
          );
          expectRenewedWithoutRefusal(ids.short, renewal.length);

          // Without waitUntil the renewal dies with the request that started it; the next
          // callers abandon it after its deadline (timeoutMs 1 s + store time) instead of hanging.
          const abandoned = await calls(3_500, () => call(client, 'abandoned'));
          expect(abandoned.map((answer) => answer.status).every((status) => status === 200)).toBe(
            true,
          );
          expect(Math.max(...abandoned.map((answer) => answer.ms))).toBeLessThan(3_000);
          expect(
            recordOf(servers.shortLived, ids.abandoned).tokensUsed.size,
          ).toBeGreaterThanOrEqual(2);

          // A DPoP manager made in global scope proves its token request and the API call.
          if (client !== 'core') {
            expect((await call(client, 'dpop')).status).toBe(200);
            expectProvenOnce(ids.dpop);
          }

          const bad = await call(client, 'bad');
          expect(bad.error?.endpointError).toEqual({
            status: 401,
            code: 'ERR_TOKEN_ENDPOINT',
            error: 'invalid_client',
          });

          if (client !== 'fetch') return;
          // A registry made in global scope: its tenant's manager, made on first use, serves
          // concurrent requests with one token request.
          const tenant = await Promise.all(Array.from({ length: 5 }, () => call(client, 'tenant')));
          expect(tenant.map((answer) => answer.status)).toEqual(Array(5).fill(200));
          expect(recordOf(servers.standard, ids.tenant).tokenRequests).toBe(1);
        }),
      );
    } finally {
      await mf.dispose();
    }
  });

  it('workerd before the `cache` option (compatibility date 2024-09-23): token requests work', async () => {
    // Such workerd throws on `cache: 'no-store'`, which every token request used to send.
    const mf = new Miniflare({
      modules: workerModules({ servers: programServers(), prefix: 'workerd-2024' }),
      modulesRoot: '/',
      compatibilityDate: '2024-09-23',
    });
    try {
      const response = await mf.dispatchFetch('http://worker/?client=fetch&manager=cold');
      expect(await response.json()).toEqual({ status: 200 });
      expect(recordOf(servers.standard, clientIds('workerd-2024-fetch').cold).tokenRequests).toBe(
        1,
      );
    } finally {
      await mf.dispose();
    }
  });
});

/** Two requests at a time, a new pair every 100 ms, for `ms`. */
async function calls<T>(ms: number, call: () => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    answers.push(...(await Promise.all([call(), call()])));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}
