/** The kit server's API: the mock's token check, the built-in paths, scripted statuses, routes. */
import { afterEach, expect, test } from 'vitest';
import { clientId, clientSecret, closeAllServers, startServer } from '../loopback-server.ts';

afterEach(closeAllServers);

async function withToken() {
  const server = await startServer();
  const params = {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  };
  await fetch(server.tokenUrl, { method: 'POST', body: new URLSearchParams(params) });
  const get = (path: string, token = 'tok-1', headers: Record<string, string> = {}) =>
    fetch(server.url(path), { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { server, get };
}

test('a live token gets an echo; none gets the mock challenge; an unknown or revoked one invalid_token', async () => {
  const { server, get } = await withToken();
  const echo = await get('/members?page=2', 'tok-1', { 'x-tenant-id': 'acme' });
  expect(await echo.json()).toEqual({
    authorization: 'Bearer tok-1',
    tenant: 'acme',
    method: 'GET',
    body: '',
    path: '/members',
    contentType: null,
  });
  const anonymous = await fetch(server.url('/members'));
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${server.origin}"`);
  expect((await get('/members', 'tok-9')).headers.get('www-authenticate')).toContain(
    'error="invalid_token"',
  );
  expect(server.revoke('tok-1')).toBe(true);
  expect((await get('/members')).status).toBe(401);
  expect(server.apiCalls.map((call) => call.path)).toEqual(Array(4).fill('/members'));
});

test('tokens expire on the mock clock', async () => {
  const { server, get } = await withToken();
  server.oauth.advance(3_600_000);
  const expired = await get('/members');
  expect(expired.headers.get('www-authenticate')).toContain('The access token expired');
});

test('/public answers anyone, /always-401 no one, apiAlways401 every path', async () => {
  const { server, get } = await withToken();
  expect((await fetch(server.url('/public/page'))).status).toBe(200);
  const refused = await get('/always-401/x');
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
  server.apiAlways401 = true;
  expect((await fetch(server.url('/public/page'))).status).toBe(401);
  expect((await get('/members')).status).toBe(401);
});

test('/redirect redirects; /drop closes the connection', async () => {
  const { server } = await withToken();
  const to = server.url('/public/next');
  const redirect = await fetch(server.url(`/redirect?to=${encodeURIComponent(to)}&status=307`), {
    redirect: 'manual',
  });
  expect([redirect.status, redirect.headers.get('location')]).toEqual([307, to]);
  await expect(fetch(server.url('/drop'))).rejects.toThrow('fetch failed');
});

test('failApi, failPath and failAuthorized script statuses, in order', async () => {
  const { server, get } = await withToken();
  server.failApi(503);
  server.failPath('/a', 502);
  server.failAuthorized('/b', 500);
  expect((await get('/b')).status).toBe(503); // failApi: first, whatever the path
  expect((await fetch(server.url('/a'))).status).toBe(502); // failPath: without a token too
  expect((await fetch(server.url('/b'))).status).toBe(401); // failAuthorized: after the check
  expect((await get('/b')).status).toBe(500);
  expect((await get('/b')).status).toBe(200);
});

test('route() answers a path before the built-ins; authorized() runs the mock check', async () => {
  const { server, get } = await withToken();
  const verdicts: boolean[] = [];
  server.route('/always-401', async (request, res) => {
    verdicts.push(await server.authorized(request));
    res.writeHead(418).end();
  });
  expect((await get('/always-401')).status).toBe(418);
  expect((await fetch(server.url('/always-401'))).status).toBe(418);
  expect(verdicts).toEqual([true, false]);
  expect(server.callsTo('/always-401')).toHaveLength(2);
});
