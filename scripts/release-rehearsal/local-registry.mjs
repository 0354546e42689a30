// The registry the rehearsal publishes to: verdaccio on loopback, storing in a temporary
// directory. @tokenwise/* lives there only (nothing is fetched from, or sent to, the real
// registry under that name); every other package is proxied from registry.npmjs.org, for the
// release copy, whose .npmrc sends everything here.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.mjs';

const config = (dir) => `storage: ${JSON.stringify(join(dir, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(dir, 'htpasswd'))}
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
packages:
  '@tokenwise/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
log: { type: stdout, format: pretty, level: warn }
`;

async function waitUntilUp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`verdaccio did not answer ${url}/-/ping within ${timeoutMs} ms`);
}

/** Registers a user and returns its token (what `npm adduser` does). */
async function addUser(url) {
  const name = 'rehearsal';
  const response = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `${name}-${process.pid}`, type: 'user', roles: [] }),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== 'string')
    throw new Error(`verdaccio refused the user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Starts verdaccio with its storage, config and log under `dir`; resolves once it answers, with
 * its URL, a publish token and `stop()`.
 *
 * @example
 * const registry = await startLocalRegistry(tools.verdaccio, dir);
 * // …publish to registry.url with registry.token…
 * await registry.stop();
 */
export async function startLocalRegistry(verdaccio, dir) {
  writeFileSync(join(dir, 'config.yaml'), config(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'verdaccio.log'), 'a');
  const child = spawn(
    verdaccio.command,
    [...verdaccio.args, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', log, log] },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  try {
    await waitUntilUp(url, child, 30_000);
    return { url, token: await addUser(url), log: join(dir, 'verdaccio.log'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
