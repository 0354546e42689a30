/** Nothing the manager starts keeps a process alive: real child processes that must exit. */
import { fileURLToPath } from 'node:url';
import { runScript, type ScriptRun } from '@tokenwise/test-kit';
import { describe, expect, it } from 'vitest';

/** The package's entry point in the sources, for a script to import: Node strips the types. */
const entry = new URL('./index.ts', import.meta.url);

/** Runs `script` in a child Node process in this folder, killed if it is still alive after 5 s. */
function runInChild(script: string): Promise<ScriptRun> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return runScript(script, [], { cwd: here, killAfterMs: 5_000 });
}

describe('process lifetime', () => {
  it('lets a process exit while a background refresh waits for another process’s lock', async () => {
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const flow = clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' });
      let clock = Date.now();
      let locks = 0;
      const store = {
        get: async () => undefined, set: async () => {}, delete: async () => {},
        // The first lock is ours; then another process holds it and never writes.
        lock: async () => (++locks === 1 ? async () => {} : undefined),
      };
      const fetch = async () => Response.json({ access_token: 'a' + locks, expires_in: 60 });
      const tokens = createTokenManager({ flow, store, fetch, now: () => clock, lockTtlMs: 600_000 });
      const first = await tokens.getToken();
      clock += 40_000; // stale: a background refresh starts and polls the lock
      const second = await tokens.getToken();
      await new Promise((resolve) => setTimeout(resolve, 100));
      console.log(first === second, locks > 2);
    `;
    const { code, signal, stdout, stderr } = await runInChild(script);
    expect({ code, signal, stdout }, stderr).toEqual({
      code: 0,
      signal: null,
      stdout: 'true true',
    });
  }, 10_000);

  it('lets a process exit with a background refresh stuck on a hung store', async () => {
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const flow = clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' });
      let clock = Date.now();
      let reads = 0;
      const store = {
        get: () => (++reads === 1 ? Promise.resolve(undefined) : new Promise(() => {})),
        set: async () => {}, delete: async () => {},
      };
      const fetch = async () => Response.json({ access_token: 'a', expires_in: 60 });
      const tokens = createTokenManager({ flow, store, fetch, now: () => clock, storeTimeoutMs: 60_000 });
      await tokens.getToken();
      clock += 40_000;
      await tokens.getToken();
      console.log(reads);
    `;
    const { code, signal, stdout, stderr } = await runInChild(script);
    expect({ code, signal, stdout }, stderr).toEqual({ code: 0, signal: null, stdout: '2' });
  }, 10_000);
});
