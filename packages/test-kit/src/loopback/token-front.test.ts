/** The kit server's token endpoint: the mock's answers, the knobs that change them, the socket front. */
import { afterEach, expect, test } from 'vitest';
import { clientId, clientSecret, closeAllServers, startServer } from '../loopback-server.ts';

afterEach(closeAllServers);

const grant = {
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: clientSecret,
};
const post = (url: string, params: Record<string, string> = grant) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(params) });

test('the issuer is the origin, whatever host name names the server', async () => {
  const server = await startServer('localhost');
  expect(server.origin).toBe(`http://localhost:${server.port}`);
  const metadata = await (
    await fetch(server.url('/.well-known/oauth-authorization-server'))
  ).json();
  expect(metadata).toMatchObject({ issuer: server.origin, token_endpoint: server.tokenUrl });
});

test('answers as the mock does, with tok-1, tok-2, … and the answer bytes unchanged', async () => {
  const server = await startServer();
  const first = await post(server.tokenUrl);
  expect(first.headers.get('cache-control')).toBe('no-store'); // the mock's RFC 6749 §5.1 header
  expect(await first.text()).toBe(
    '{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}',
  );
  const json = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(grant),
  });
  expect(await json.json()).toMatchObject({ access_token: 'tok-2' });
  expect(server.issued).toEqual(['tok-1', 'tok-2']);
  expect(server.tokenRequests.map((request) => request.params.grant_type)).toEqual([
    'client_credentials',
    'client_credentials',
  ]);
  const refused = await post(server.tokenUrl, { ...grant, client_secret: 'wrong' });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
});

test('tokenType, expiresIn and extraFields change the fields of the next answers', async () => {
  const server = await startServer();
  server.tokenType = 'bearer';
  server.expiresIn = undefined;
  server.extraFields = { scope: 'read', id_token: 'x' };
  expect(await (await post(server.tokenUrl)).json()).toEqual({
    access_token: 'tok-1',
    token_type: 'bearer',
    scope: 'read',
    id_token: 'x',
  });
  server.expiresIn = 2;
  expect(await (await post(server.tokenUrl)).json()).toMatchObject({ expires_in: 2 });
});

test('script(): scripted answers in order, a string as text/html, write() and delayMs', async () => {
  const server = await startServer();
  server.script(
    { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '2' } },
    { status: 502, body: '<html>Bad gateway</html>' },
    { write: (res) => res.socket?.destroy() },
    { delayMs: 50 },
  );
  const busy = await post(server.tokenUrl);
  expect([busy.status, busy.headers.get('retry-after'), await busy.json()]).toEqual([
    503,
    '2',
    { error: 'temporarily_unavailable' },
  ]);
  const html = await post(server.tokenUrl);
  expect([html.status, html.headers.get('content-type'), await html.text()]).toEqual([
    502,
    'text/html',
    '<html>Bad gateway</html>',
  ]);
  await expect(post(server.tokenUrl)).rejects.toThrow('fetch failed');
  const started = performance.now();
  expect(await (await post(server.tokenUrl)).json()).toMatchObject({ access_token: 'tok-1' });
  expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  expect(server.tokenRequests).toHaveLength(4);
});

test('holdTokens() holds answers until released; tokenRequestsReached(n) gives the nth request', async () => {
  const server = await startServer();
  const release = server.holdTokens();
  const answers = [post(server.tokenUrl), post(server.tokenUrl)];
  const second = await server.tokenRequestsReached(2);
  expect(second).toBe(server.tokenRequests[1]);
  expect(server.issued).toEqual([]);
  release();
  await Promise.all(answers);
  expect(server.issued).toHaveLength(2);
});

test("beforeAnswer sees each request first; 'drop' closes the connection unanswered", async () => {
  const server = await startServer();
  const seen: (string | string[] | undefined)[] = [];
  server.beforeAnswer = (request) => {
    seen.push(request.headers['x-fleet-member']);
    return seen.length === 1 ? 'drop' : undefined;
  };
  const send = (member: string) =>
    fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'x-fleet-member': member },
      body: new URLSearchParams(grant),
    });
  await expect(send('a')).rejects.toThrow('fetch failed');
  expect((await send('b')).status).toBe(200);
  expect(seen).toEqual(['a', 'b']);
  expect(server.issued).toEqual(['tok-1']);
});

test('close() ends held answers and hanging requests, and frees the port', async () => {
  const server = await startServer();
  server.holdTokens();
  const held = post(server.tokenUrl).catch((error: unknown) => error);
  const hanging = fetch(server.url('/hang')).catch((error: unknown) => error);
  await server.tokenRequestsReached(1);
  await server.close();
  expect(await held).toBeInstanceOf(Error);
  expect(await hanging).toBeInstanceOf(Error);
  await expect(fetch(server.url('/public'))).rejects.toThrow('fetch failed');
});
