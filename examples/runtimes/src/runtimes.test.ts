/**
 * tokenwise on Deno, Bun and Cloudflare Workers (workerd through miniflare), each installed from
 * the npm registry as a dev dependency: a missing runtime fails these tests, it never skips them.
 * Each runtime runs `scenarios.js` against the loopback token server and API of this process.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());

interface Outcome {
  cold: number[];
  resend: number;
  renewal: { statuses: number[]; slowestAfterFirst: number };
  wrongSecret: { name?: string; endpointError?: { status: number; error?: string } };
}

/** What every client must show on every runtime; `prefix` is the client ids' prefix. */
function expectScenarios(outcome: Outcome, prefix: string): void {
  expect(outcome.cold).toEqual(Array(10).fill(200));
  // A 401 after revocation: one new token, the request re-sent once.
  expect(outcome.resend).toBe(200);
  const cold = server.record(`${prefix}-cold`);
  expect({ tokenRequests: cold.tokenRequests, unauthorized: cold.unauthorized }).toEqual({
    tokenRequests: 2,
    unauthorized: 1,
  });
  // 2-second tokens over 3 s of calls: renewed in the background (the token server takes
  // 300 ms: a caller that waited for it would show), never a 401.
  const short = server.record(`short-${prefix}`);
  expect(outcome.renewal.statuses.every((status) => status === 200)).toBe(true);
  expect(short.unauthorized).toBe(0);
  expect(short.tokensUsed.size).toBeGreaterThanOrEqual(2);
  expect(outcome.renewal.slowestAfterFirst).toBeLessThan(250);
  expect(outcome.wrongSecret.endpointError).toEqual({
    status: 401,
    code: 'ERR_TOKEN_ENDPOINT',
    error: 'invalid_client',
  });
}

/** Runs `cli.js` in a runtime; resolves to its JSON line per client. */
async function runCli(command: string, args: string[]): Promise<Record<string, Outcome>> {
  const { stdout, stderr } = await run(command, args, {
    cwd: root,
    env: {
      ...process.env,
      TOKEN_URL: server.tokenUrl,
      API_URL: server.url,
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

const everyClient = ['core', 'fetch', 'ky', 'axios', 'got'];

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
      modules: workerModules(server, 'workerd'),
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
        ['core', 'fetch', 'ky'].map(async (client) => {
          const prefix = `workerd-${client}`;
          // Cold start: 10 concurrent requests share the one token request of a shared manager.
          const cold = await Promise.all(Array.from({ length: 10 }, () => call(client, 'cold')));
          expect(cold.map((answer) => answer.status)).toEqual(Array(10).fill(200));
          expect(server.record(`${prefix}-cold`).tokenRequests).toBe(1);
          await fetch(`${server.url}/revoke?client=${prefix}-cold`, { method: 'POST' }).then(
            (response) => response.text(),
          );
          expect((await call(client, 'cold')).status).toBe(200);
          expect(server.record(`${prefix}-cold`).tokenRequests).toBe(2);
          expect(server.record(`${prefix}-cold`).unauthorized).toBe(1);

          // 2-second tokens, two requests at a time for 3 s: renewed ahead of expiry by one
          // request (kept alive by waitUntil), awaited by none.
          const renewal = await calls(3_000, () => call(client, 'short'));
          expect(renewal.map((answer) => answer.status).every((status) => status === 200)).toBe(
            true,
          );
          expect(Math.max(...renewal.slice(2).map((answer) => answer.ms))).toBeLessThan(250);
          expect(server.record(`short-${prefix}`).tokensUsed.size).toBeGreaterThanOrEqual(2);
          expect(server.record(`short-${prefix}`).unauthorized).toBe(0);

          // Without waitUntil the renewal dies with the request that started it; the next
          // callers abandon it after its deadline (timeoutMs 1 s + store time) instead of hanging.
          const abandoned = await calls(3_500, () => call(client, 'abandoned'));
          expect(abandoned.map((answer) => answer.status).every((status) => status === 200)).toBe(
            true,
          );
          expect(Math.max(...abandoned.map((answer) => answer.ms))).toBeLessThan(3_000);
          expect(server.record(`short-abandoned-${prefix}`).tokensUsed.size).toBeGreaterThanOrEqual(
            2,
          );

          const bad = await call(client, 'bad');
          expect(bad.error?.endpointError).toEqual({
            status: 401,
            code: 'ERR_TOKEN_ENDPOINT',
            error: 'invalid_client',
          });
        }),
      );
    } finally {
      await mf.dispose();
    }
  });

  it('workerd before the `cache` option (compatibility date 2024-09-23): token requests work', async () => {
    // Such workerd throws on `cache: 'no-store'`, which every token request used to send.
    const mf = new Miniflare({
      modules: workerModules(server, 'workerd-2024'),
      modulesRoot: '/',
      compatibilityDate: '2024-09-23',
    });
    try {
      const response = await mf.dispatchFetch('http://worker/?client=fetch&manager=cold');
      expect(await response.json()).toEqual({ status: 200 });
      expect(server.record('workerd-2024-fetch-cold').tokenRequests).toBe(1);
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

/** Where the worker's modules find each package: workerd resolves a name from a nested module relative to it. */
const entries: Record<string, string> = {
  '@tokenwise/core': '/@tokenwise/core/dist/index.js',
  '@tokenwise/core/adapter': '/@tokenwise/core/dist/adapter.js',
  '@tokenwise/ky-auth': '/@tokenwise/ky-auth/dist/index.js',
  ky: '/ky/distribution/index.js',
};

/** `from '@tokenwise/core'` in a package's module becomes `from '/@tokenwise/core/dist/index.js'`. */
function rebase(code: string): string {
  return code.replace(/(from\s*|import\s*\(\s*)(['"])([^'"]+)\2/g, (whole, head, quote, name) =>
    entries[name] === undefined ? whole : `${head}${quote}${entries[name]}${quote}`,
  );
}

/**
 * The worker's modules: the built `dist` of @tokenwise/core and @tokenwise/ky-auth and ky's, each
 * under its package name, plus one-line modules that map the bare names onto them.
 */
function workerModules(loopback: LoopbackServer, prefix: string) {
  const modules: { type: 'ESModule'; path: string; contents: string }[] = [];
  const add = (name: string, dir: string): void => {
    const real = realpathSync(join(root, 'node_modules', name, dir));
    for (const file of readdirSync(real, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      modules.push({
        type: 'ESModule',
        path: `/${name}/${dir}/${file}`,
        contents: rebase(readFileSync(join(real, file), 'utf8')),
      });
    }
  };
  const source = (file: string): string => readFileSync(join(root, 'src', file), 'utf8');
  modules.push({ type: 'ESModule', path: '/worker.js', contents: source('worker.js') });
  modules.push({ type: 'ESModule', path: '/scenarios.js', contents: source('scenarios.js') });
  modules.push({
    type: 'ESModule',
    path: '/config.js',
    contents: `export const tokenUrl = ${JSON.stringify(loopback.tokenUrl)}; export const apiUrl = ${JSON.stringify(loopback.url)}; export const prefix = ${JSON.stringify(prefix)};`,
  });
  add('@tokenwise/core', 'dist');
  add('@tokenwise/ky-auth', 'dist');
  add('ky', 'distribution');
  const alias = (name: string, target: string, withDefault = false): void => {
    const exports = `export * from '${target}';${withDefault ? ` export { default } from '${target}';` : ''}`;
    modules.push({ type: 'ESModule', path: `/${name}`, contents: exports });
  };
  for (const [name, target] of Object.entries(entries)) alias(name, target, name === 'ky');
  return modules;
}
