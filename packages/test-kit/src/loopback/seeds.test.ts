/** Tokens and codes a test names before any request, known to the kit server's mock. */
import { afterEach, expect, test } from 'vitest';
import { clientId, clientSecret, closeAllServers, startServer } from '../loopback-server.ts';

afterEach(closeAllServers);

const client = { client_id: clientId, client_secret: clientSecret };
const post = (url: string, params: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams({ ...client, ...params }) });
const refresh = (url: string, token: string) =>
  post(url, { grant_type: 'refresh_token', refresh_token: token });

test('acceptRefreshToken: the named token works once and rotates; a reuse is recorded', async () => {
  const server = await startServer();
  void server.acceptRefreshToken('refresh-start'); // token requests wait for it
  const first = await (await refresh(server.tokenUrl, 'refresh-start')).json();
  expect(first).toMatchObject({ access_token: 'tok-1', refresh_token: 'refresh-1' });
  const reuse = await refresh(server.tokenUrl, 'refresh-start');
  expect(reuse.status).toBe(400);
  expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  expect(server.rejectedRefreshTokens).toEqual(['refresh-start']);
  expect(server.issued).toEqual(['tok-1']); // the seeding itself issued nothing on the socket
  expect(server.tokenRequests).toHaveLength(2);
});

test("refreshTokens 'omit': a refresh answer has no refresh_token and the old one stays valid", async () => {
  const server = await startServer({ refreshTokens: 'omit' });
  await server.acceptRefreshToken('refresh-start');
  for (const access of ['tok-1', 'tok-2']) {
    const answer = await (await refresh(server.tokenUrl, 'refresh-start')).json();
    expect(answer).toEqual({ access_token: access, token_type: 'Bearer', expires_in: 3600 });
  }
});

test('acceptRefreshToken for a public client of the server', async () => {
  const server = await startServer({ clients: { fleet: null } });
  await server.acceptRefreshToken('refresh-initial', 'fleet');
  const params = {
    grant_type: 'refresh_token',
    refresh_token: 'refresh-initial',
    client_id: 'fleet',
  };
  const answer = await fetch(server.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  expect(await answer.json()).toMatchObject({ access_token: 'tok-1', refresh_token: 'refresh-1' });
  await expect(server.acceptRefreshToken('x', 'nobody')).rejects.toThrow(/clientId unknown client/);
});

test('acceptCode: exchanged once, bound to its redirect URI and PKCE verifier', async () => {
  const server = await startServer();
  const codeVerifier = 'v'.repeat(43);
  const redirectUri = 'https://app.example/cb';
  await server.acceptCode('code-9d2', { redirectUri, codeVerifier });
  const exchange = (verifier: string) =>
    post(server.tokenUrl, {
      grant_type: 'authorization_code',
      code: 'code-9d2',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
  expect((await exchange('w'.repeat(43))).status).toBe(400);
  expect(await (await exchange(codeVerifier)).json()).toMatchObject({
    access_token: 'tok-1',
    refresh_token: 'refresh-1',
  });
  expect(await (await exchange(codeVerifier)).json()).toMatchObject({ error: 'invalid_grant' });
});

test("acceptAccessToken: the API accepts a token the test names (another server's)", async () => {
  const [server, other] = await Promise.all([startServer(), startServer()]);
  await other.acceptAccessToken('tok-1');
  const call = (target: typeof server) =>
    fetch(target.url('/members'), { headers: { authorization: 'Bearer tok-1' } });
  expect((await call(other)).status).toBe(200);
  expect((await call(server)).status).toBe(401);
  expect(other.tokenRequests).toHaveLength(0);
});
