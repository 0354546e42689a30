#!/usr/bin/env node
// Release rehearsal (`pnpm rehearse`): publishes every public package to a local registry with
// the documented release commands, then installs each package as its README says with npm,
// pnpm, Yarn 4 (Plug'n'Play) and Bun in fresh projects outside the repository, type-checks and
// runs the README's first example against a local token server (the test kit's loopback
// server, one per trial), and counts the copies of
// @tokenwise/core each manager installed (it must be 1). Prints a package × manager matrix and
// exits non-zero on any failure, keeping its temporary directory for inspection (`--keep` keeps
// it in any case: the versioned copy with its CHANGELOGs is in repo/, each project beside it).
//
// Needs the npm registry (the tools, and third-party packages such as axios and TypeScript) and
// redis-server (installed by scripts/ensure-redis.sh when missing); @tokenwise/* never leaves the
// machine, and the checkout is only read (see release-copy.mjs). About 2 minutes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '../../packages/redis-store/src/test-support/redis-server.ts';
import { logTail } from './exec.mjs';
import { startLocalRegistry } from './local-registry.mjs';
import { packageManagers } from './package-managers.mjs';
import { releaseFromCopy } from './release-copy.mjs';
import { installTools } from './tools.mjs';
import { runTrial } from './trial.mjs';

/** The packages whose README a user follows first (msw's first example is a vitest setup). */
const TRIAL_PACKAGES = [
  'core',
  'axios-auth',
  'got-auth',
  'ky-auth',
  'redis-store',
  'opentelemetry',
];

const root = fileURLToPath(new URL('../..', import.meta.url));
const keep = process.argv.includes('--keep');
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (text) => process.stdout.write(`rehearse [${seconds()}]: ${text}\n`);

/** The caller's environment without what a package manager running this script put there. */
function userEnvironment(workDir) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(npm_|pnpm_|yarn_|bun_|turbo_)/i.test(key) && key !== 'NODE_OPTIONS',
    ),
  );
  const userconfig = join(workDir, 'empty.npmrc'); // the caller's ~/.npmrc plays no part
  writeFileSync(userconfig, '');
  return { ...env, npm_config_userconfig: userconfig, TURBO_TELEMETRY_DISABLED: '1' };
}

function printMatrix(managers, results) {
  const width = 18;
  const cell = (result) =>
    result.step === 'ok' ? `ok, ${result.copies} core` : `FAIL at ${result.step}`;
  const rows = [['', ...managers.map((manager) => manager.name)]];
  for (const dir of TRIAL_PACKAGES)
    rows.push([dir, ...managers.map((manager) => cell(results.get(`${dir}|${manager.name}`)))]);
  for (const row of rows) say(row.map((text) => text.padEnd(width)).join(''));
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'tokenwise-rehearsal-'));
  const env = userEnvironment(workDir);
  const tools = installTools(root);
  const stops = [];
  let failed = true;
  try {
    mkdirSync(join(workDir, 'registry'));
    const registry = await startLocalRegistry(tools.verdaccio, join(workDir, 'registry'));
    stops.push(registry.stop);
    say(`local registry at ${registry.url}; releasing a copy of the working tree`);
    const releaseLog = join(workDir, 'release.log');
    const { published } = await releaseFromCopy({
      root,
      dir: workDir,
      registry,
      env,
      log: releaseLog,
    }).catch((error) => {
      process.stderr.write(`${logTail(releaseLog, 40)}\n`);
      throw error;
    });
    for (const { name, version, peerDependencies, dependencies } of published)
      say(
        `published ${name}@${version}  dependencies ${JSON.stringify(dependencies ?? {})}  peers ${JSON.stringify(peerDependencies ?? {})}`,
      );

    execFileSync('bash', [join(root, 'scripts', 'ensure-redis.sh')], { stdio: 'inherit' });
    const redis = await startRedisServer();
    stops.push(redis.stop);

    const managers = packageManagers(tools, join(root, 'node_modules', 'typescript', 'bin', 'tsc'));
    const results = new Map();
    say(`installing ${TRIAL_PACKAGES.join(', ')} with ${managers.map((m) => m.name).join(', ')}`);
    await Promise.all(
      managers.map(async (manager) => {
        const cache = join(workDir, 'caches', manager.name.split(' ')[0]);
        for (const dir of TRIAL_PACKAGES) {
          const result = await runTrial({
            root,
            dir,
            manager,
            workDir,
            registry,
            redisUrl: redis.url,
            env,
            cache,
          });
          results.set(`${dir}|${manager.name}`, result);
          say(
            `${dir} with ${manager.name}: ${result.step === 'ok' ? 'ok' : `FAIL at ${result.step}: ${result.error}`}`,
          );
        }
      }),
    );
    printMatrix(managers, results);
    const failures = [...results.entries()].filter(([, result]) => result.step !== 'ok');
    for (const [key, result] of failures)
      process.stderr.write(`\n--- ${key}: ${result.error}\n${logTail(result.log)}\n`);
    failed = failures.length > 0;
    say(
      failed
        ? `${failures.length} of ${results.size} failed; kept ${workDir}`
        : `all ${results.size} passed${keep ? `; kept ${workDir}` : ''}`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    if (!failed && !keep) rmSync(workDir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`rehearse [${seconds()}]: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
