/**
 * `close()`: aborts what is in flight, rejects later calls, and leaves no timer that keeps a
 * process alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clientId, clientSecret, closedPortUrl, runScript } from '@tokenwise/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import { ticks, until } from './test-support/async.ts';
import { clock, hour, manage, server, useManagerFixture } from './test-support/manager-fixture.ts';

useManagerFixture();

describe('close', () => {
  it('aborts the request in flight; later calls reject with ERR_MANAGER_CLOSED', async () => {
    const tokens = manage();
    server.holdTokens();
    const pending = tokens.getToken();
    await server.tokenRequestsReached(1);
    await tokens.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'ManagerClosedError',
      code: 'ERR_MANAGER_CLOSED',
    });
    await tokens.close(); // idempotent
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('aborts a retry backoff sleep', async () => {
    const tokenUrl = await closedPortUrl();
    const fetchSpy = vi.fn(globalThis.fetch);
    const sleeping = manage({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      fetch: fetchSpy,
      retry: { limit: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const pending = sleeping.getToken();
    await until(() => fetchSpy.mock.calls.length === 1);
    await ticks(5);
    await sleeping.close(); // resolves only once the shared request has settled
    await expect(pending).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('does not report the aborted background refresh to onError', async () => {
    const onError = vi.fn();
    const tokens = manage({ onError });
    await tokens.getToken();
    server.holdTokens();
    clock.advance(hour - 300_000);
    await tokens.getToken(); // stale: starts a background refresh
    await server.tokenRequestsReached(2);
    await tokens.close();
    await ticks(5);
    expect(onError).not.toHaveBeenCalled();
  });

  it('lets a process with a manager exit by itself', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const dist = new URL('../dist/index.js', import.meta.url);
    // dist when built (the published code); the sources otherwise (Node strips the types).
    const entry = existsSync(dist) ? dist : new URL('./index.ts', import.meta.url);
    const dead = await closedPortUrl();
    server.expiresIn = 2;
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const [tokenUrl, deadUrl, clientId, clientSecret] = process.argv.slice(1);
      const flow = clientCredentials({ tokenUrl, clientId, clientSecret });
      // A 2 s token: the second call, 1.5 s into its life, starts a background refresh.
      let clock = Date.now();
      const tokens = createTokenManager({ flow, now: () => clock });
      const first = await tokens.getToken();
      clock += 1_500;
      const second = await tokens.getToken();
      // A failed request leaves a failure window; a refused connection, one short retry.
      const dead = createTokenManager({
        flow: clientCredentials({ tokenUrl: deadUrl, clientId, clientSecret }),
        retry: { limit: 1, baseDelayMs: 50 },
      });
      const failed = await dead.getToken().then(() => 'no error', (error) => error.code);
      console.log([first === second, failed].join(' '));
    `;
    const { code, signal, stdout, stderr } = await runScript(
      script,
      [server.tokenUrl, dead, clientId, clientSecret],
      { cwd: here, killAfterMs: 8_000 },
    );
    expect({ code, signal, stdout }, stderr).toEqual({
      code: 0,
      signal: null,
      stdout: 'true ERR_TOKEN_NETWORK',
    });
    expect(server.tokenRequests).toHaveLength(2); // the background refresh ran
  }, 10_000);
});
