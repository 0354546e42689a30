/** A background refresh that fails reports an error without secrets to `onError`. */
import { closeAllServers, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { until } from './test-support/async.ts';
import { expectNoSecret, refreshTokenFlow } from './test-support/error-hygiene.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';

let server: LoopbackServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => closeAllServers());
const manage = managersClosedAfterEach();

test('a background refresh that fails reports an error without secrets to onError', async () => {
  const flow = await refreshTokenFlow(server.tokenUrl, server);
  const errors: unknown[] = [];
  let clock = Date.now();
  const tokens = manage({
    flow,
    now: () => clock,
    onError: (error) => errors.push(error),
  });
  const token = await tokens.getToken();
  server.script({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'Refresh token expired' },
  });
  clock = (token.expiresAt as number) - 60_000; // stale: served, and refreshed in the background
  expect((await tokens.getToken()).accessToken).toBe(token.accessToken);
  await until(() => errors.length > 0);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
  expectNoSecret(errors[0], server);
});
