/**
 * Callers that abort while a refresh is under way (all of them, or while the manager sleeps
 * between retries, or through createAuthFetch) leave the manager usable: the refresh goes on,
 * its token is cached, and the next call is served without another token request. Against a
 * real loopback token endpoint.
 */
import { getEventListeners } from 'node:events';
import { clientId, clientSecret, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { isPending, until } from './test-support/async.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import type { TokenManagerOptions } from './token-manager.ts';

describe('callers that abort mid-refresh leave the manager usable', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  const manageClosing = managersClosedAfterEach();
  const manage = (options: Partial<TokenManagerOptions> = {}) =>
    manageClosing({
      flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
      ...options,
    });

  test('every waiter aborts: each gets its own reason at once, the refresh goes on and is used', async () => {
    const tokens = manage();
    const before = server.tokenRequests.length;
    const release = server.holdTokens();
    const controllers = [1, 2, 3].map(() => new AbortController());
    const waits = controllers.map((c) =>
      tokens.getToken({ signal: c.signal }).catch((e: unknown) => e),
    );
    await server.tokenRequestsReached(before + 1);
    const reasons = controllers.map((c, i) => {
      const reason = new Error(`caller ${i} gave up`);
      c.abort(reason);
      return reason;
    });
    expect(await Promise.all(waits)).toEqual(reasons);
    for (const c of controllers) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
    release();
    const token = await tokens.getToken();
    expect(token.accessToken).toBe(server.issued.at(-1));
    expect(server.tokenRequests.length - before).toBe(1);
  });

  test('a waiter aborts while the manager sleeps between retries; the retry still lands', async () => {
    const tokens = manage({ retry: { limit: 2, baseDelayMs: 40, maxDelayMs: 40 } });
    const before = server.tokenRequests.length;
    server.script({ status: 503, body: '<html>busy</html>' });
    const controller = new AbortController();
    const wait = tokens.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    await server.tokenRequestsReached(before + 1);
    controller.abort();
    expect(await wait).toBeInstanceOf(DOMException);
    await server.tokenRequestsReached(before + 2);
    await until(() => server.issued.length > 0 && server.tokenRequests.length - before === 2);
    const token = await tokens.getToken();
    expect(token.accessToken).toBe(server.issued.at(-1));
    expect(server.tokenRequests.length - before).toBe(2);
  });

  test('every waiter aborts and the refresh then fails: the failure window, then a working manager', async () => {
    const tokens = manage({ failureBackoffMs: 30, retry: false });
    const before = server.tokenRequests.length;
    const release = server.holdTokens();
    server.script({ status: 400, body: { error: 'invalid_request' } });
    const controller = new AbortController();
    const wait = tokens.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    await server.tokenRequestsReached(before + 1);
    controller.abort();
    await wait;
    release();
    // Inside the window the failure is answered at once; after it, a new request succeeds.
    await until(
      async () => (await tokens.getToken().catch((e: unknown) => e)) instanceof TokenEndpointError,
    );
    await until(
      async () =>
        !(await tokens.getToken().then(
          () => false,
          () => true,
        )),
    );
    expect(server.tokenRequests.length - before).toBe(2);
  });

  test('an authed fetch aborted while its token is fetched: AbortError, no API call, then it works', async () => {
    const tokens = manage();
    const authedFetch = createAuthFetch({ tokens });
    const before = { tokens: server.tokenRequests.length, api: server.apiCalls.length };
    const release = server.holdTokens();
    const controller = new AbortController();
    const call = authedFetch(server.url('/things'), { signal: controller.signal });
    await server.tokenRequestsReached(before.tokens + 1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await isPending(tokens.getToken())).toBe(true); // the refresh is still under way
    release();
    const response = await authedFetch(server.url('/things'));
    expect(response.status).toBe(200);
    expect(server.tokenRequests.length - before.tokens).toBe(1);
    expect(server.apiCalls.length - before.api).toBe(1);
  });
});
