/** revoke(token): one access or refresh token is refused from then on; the others stay valid. */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, issuer, json, postToken } from './test-support/http.ts';

const redirectUri = 'https://app.test/callback';
const oauth = mockOAuthServer({ issuer, clients: { app: 'secret' }, requirePkce: false });
const server = setupServer(
  ...oauth.handlers,
  http.get(
    'https://api.test/me',
    oauth.protect(() => HttpResponse.json({ ok: true })),
  ),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => oauth.reset());
afterAll(() => server.close());

const app = { Authorization: basic('app', 'secret') };
const me = (token: string) =>
  fetch('https://api.test/me', { headers: { Authorization: `Bearer ${token}` } });

async function tokens(): Promise<{ access: string; refresh: string }> {
  const code = await oauth.authorize({ clientId: 'app', redirectUri });
  const answer = await json(
    await postToken({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, app),
  );
  return { access: String(answer.access_token), refresh: String(answer.refresh_token) };
}

test('a revoked access token answers 401 invalid_token; another one still works', async () => {
  const [revoked, kept] = [await tokens(), await tokens()];
  expect(oauth.revoke(revoked.access)).toBe(true);
  const refused = await me(revoked.access);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toContain('The access token was revoked');
  expect((await me(kept.access)).status).toBe(200);
  // Its refresh token was not revoked with it.
  const refreshed = await postToken(
    { grant_type: 'refresh_token', refresh_token: revoked.refresh },
    app,
  );
  expect(refreshed.status).toBe(200);
});

test('a revoked refresh token is invalid_grant; its access token stays valid', async () => {
  const { access, refresh } = await tokens();
  expect(oauth.revoke(refresh)).toBe(true);
  const refused = await postToken({ grant_type: 'refresh_token', refresh_token: refresh }, app);
  expect(refused.status).toBe(400);
  expect(await json(refused)).toMatchObject({ error: 'invalid_grant' });
  expect((await me(access)).status).toBe(200);
});

test('a token the mock never issued: false', () => {
  expect(oauth.revoke('never-issued')).toBe(false);
});
