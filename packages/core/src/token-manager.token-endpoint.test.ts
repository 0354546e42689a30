/**
 * Talking to the token endpoint: timeouts, retries, the answer size cap, forced refreshes and
 * aborted waiters.
 */
import { clientId, clientSecret, closedPortUrl } from '@tokenwise/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { TokenRequestError, TokenResponseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { manage, server, useManagerFixture } from './test-support/manager-fixture.ts';

useManagerFixture();

describe('token endpoint', () => {
  it('times out each attempt (ERR_TOKEN_TIMEOUT) and retries a timed-out attempt', async () => {
    server.script({ delayMs: 5_000 });
    const once = manage({ timeoutMs: 1_000, retry: false });
    const error = await once.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect(server.tokenRequests).toHaveLength(1);

    server.script({ delayMs: 5_000 });
    const retrying = manage({ timeoutMs: 1_000, retry: { limit: 1, baseDelayMs: 1 } });
    expect((await retrying.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('retries a refused connection with backoff, then fails with ERR_TOKEN_NETWORK', async () => {
    const tokenUrl = await closedPortUrl();
    const fetchSpy = vi.fn(globalThis.fetch);
    const tokens = manage({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      fetch: fetchSpy,
      retry: { limit: 2, baseDelayMs: 1 },
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
  });

  it('retries 5xx and 429, and not 400 or 401', async () => {
    server.script(
      { status: 500, body: { error: 'server_error' } },
      { status: 429, body: {}, headers: { 'retry-after': '0' } },
      { status: 502, body: '<html>bad gateway</html>' },
    );
    const retrying = manage({ retry: { limit: 3, baseDelayMs: 1 } });
    expect((await retrying.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(4);

    for (const status of [400, 401]) {
      const before = server.tokenRequests.length;
      server.script({ status, body: { error: 'invalid_client' } });
      const tokens = manage({ retry: { limit: 3, baseDelayMs: 1 } });
      await expect(tokens.getToken()).rejects.toMatchObject({ status });
      expect(server.tokenRequests).toHaveLength(before + 1);
    }
  });

  it('does not wait for a Retry-After above maxRetryAfterMs', async () => {
    server.script({ status: 503, body: {}, headers: { 'retry-after': '2' } });
    const tokens = manage({ retry: { limit: 3, baseDelayMs: 1, maxRetryAfterMs: 1_999 } });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503, retryAfterMs: 2_000 });
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('caps the answer at 1 MiB (declared and chunked), without retrying', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    server.script(
      {
        write: (res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length });
          res.end(big);
        },
      },
      {
        write: (res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          for (let i = 0; i < 17; i++) res.write('y'.repeat(64 * 1024));
          res.end();
        },
      },
    );
    const tokens = manage({ retry: { limit: 3, baseDelayMs: 1 }, failureBackoffMs: 0 });
    for (let i = 0; i < 2; i++) {
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenResponseError);
      expect((error as Error).message).toMatch(/1048576-byte limit/);
    }
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('forceRefresh ignores a fresh cached token; concurrent forced calls share one request', async () => {
    const tokens = manage();
    const a = await tokens.getToken();
    const forced = await Promise.all(
      Array.from({ length: 10 }, () => tokens.getToken({ forceRefresh: true })),
    );
    expect(server.tokenRequests).toHaveLength(2);
    expect(new Set(forced).size).toBe(1);
    expect(forced[0]?.accessToken).not.toBe(a.accessToken);
    expect(await tokens.getToken()).toBe(forced[0]);
  });

  it('an aborted waiter stops waiting; the shared request goes on for the others', async () => {
    const tokens = manage();
    const release = server.holdTokens();
    const controller = new AbortController();
    const mine = tokens.getToken({ signal: controller.signal });
    const others = [tokens.getToken(), tokens.getToken({ signal: new AbortController().signal })];
    await server.tokenRequestsReached(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(mine).rejects.toBe(reason);
    release();
    const [x, y] = await Promise.all(others);
    expect(x).toBe(y);
    expect(x?.accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);

    const aborted = AbortSignal.abort(reason);
    await expect(tokens.getToken({ signal: aborted, forceRefresh: true })).rejects.toBe(reason);
    expect(server.tokenRequests).toHaveLength(1);
  });
});
