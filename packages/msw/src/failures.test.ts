/** failNext(): injected statuses, network errors and delays, recorded in tokenRequests. */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, issuer, json, postToken } from './test-support/http.ts';

const oauth = mockOAuthServer({ issuer, clients: { app: 'secret' } });
const server = setupServer(...oauth.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => oauth.reset());
afterAll(() => server.close());

const request = () =>
  postToken('grant_type=client_credentials', { Authorization: basic('app', 'secret') });

test('status with Retry-After for the next N requests, then normal answers', async () => {
  oauth.failNext(2, { status: 503, headers: { 'Retry-After': '2' } });
  for (let i = 0; i < 2; i += 1) {
    const response = await request();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await json(response)).toEqual({ error: 'temporarily_unavailable' });
  }
  expect((await request()).status).toBe(200);
  expect(oauth.tokenRequests.map(({ status, injected }) => [status, injected])).toEqual([
    [503, true],
    [503, true],
    [200, undefined],
  ]);
  expect(oauth.tokenRequests[0]).toMatchObject({
    grantType: 'client_credentials',
    clientId: 'app',
  });
});

test('a custom body: a string as is, an object as JSON', async () => {
  oauth.failNext(1, {
    status: 500,
    body: '<html>oops</html>',
    headers: { 'Content-Type': 'text/html' },
  });
  oauth.failNext(1, { status: 400, body: { error: 'invalid_request', error_description: 'Nope' } });
  const html = await request();
  expect([html.status, html.headers.get('content-type'), await html.text()]).toEqual([
    500,
    'text/html',
    '<html>oops</html>',
  ]);
  expect(await json(await request())).toEqual({
    error: 'invalid_request',
    error_description: 'Nope',
  });
});

test('a network error (msw HttpResponse.error()), recorded with status 0', async () => {
  oauth.failNext(1, { networkError: true });
  await expect(request()).rejects.toThrow(TypeError);
  expect(oauth.tokenRequests).toMatchObject([{ status: 0, injected: true }]);
  expect((await request()).status).toBe(200);
});

test('a delay answers normally, late', async () => {
  oauth.failNext(1, { delayMs: 150 });
  const started = performance.now();
  const response = await request();
  expect(response.status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  expect(oauth.tokenRequests).toMatchObject([{ status: 200, injected: true }]);
});

test('a timeout on the client side aborts a delayed answer', async () => {
  oauth.failNext(1, { delayMs: 2_000 });
  const response = fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { Authorization: basic('app', 'secret') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
    signal: AbortSignal.timeout(50),
  });
  await expect(response).rejects.toThrow(/abort|timeout/i);
});
