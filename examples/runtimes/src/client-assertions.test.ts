/**
 * private_key_jwt on Deno, Bun and workerd: RS256, PS256, ES256 and EdDSA from a PEM, a JWK and a
 * CryptoKey, each assertion verified in the runtime by the token endpoint the manager's `fetch`
 * plays (`client-assertions.js`). In workerd the signing chunk, a dynamic import of
 * @tokenwise/core's dist, loads from the Worker's own modules.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';
import { workerModules } from './worker-modules.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

const everyCase = Object.fromEntries(
  ['RS256', 'PS256', 'ES256', 'EdDSA'].flatMap((algorithm) =>
    ['pem', 'jwk', 'cryptoKey'].map((form) => [`${algorithm} ${form}`, 'ok']),
  ),
);

async function runCli(command: string, args: string[]): Promise<unknown> {
  const { stdout, stderr } = await run(command, args, {
    cwd: root,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(stderr).toBe('');
  return JSON.parse(stdout.trim());
}

describe.concurrent('private_key_jwt on every runtime', () => {
  it('Deno 2', async () => {
    const args = [
      'run',
      '--no-lock',
      '--node-modules-dir=manual',
      '--allow-read',
      'src/client-assertions-cli.js',
    ];
    expect(await runCli(bin('deno'), args)).toEqual(everyCase);
  });

  it('Bun 1', async () => {
    expect(await runCli(bin('bun'), ['src/client-assertions-cli.js'])).toEqual(everyCase);
  });

  it('workerd', async () => {
    const mf = new Miniflare({
      modules: workerModules({}, 'client-assertions-worker.js'),
      modulesRoot: '/',
      compatibilityDate: '2025-09-01',
    });
    try {
      const response = await mf.dispatchFetch('http://worker/');
      expect(await response.json()).toEqual(everyCase);
    } finally {
      await mf.dispose();
    }
  });
});
