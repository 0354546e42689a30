/** The opaqueToken option: predictable names for opaque access tokens, refresh tokens and codes. */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import type { OpaqueTokenKind } from './options.ts';
import { basic, issuer, json, postToken } from './test-support/http.ts';

const redirectUri = 'https://app.test/callback';
const counts: Record<OpaqueTokenKind, number> = { access_token: 0, refresh_token: 0, code: 0 };
let names: (kind: OpaqueTokenKind) => unknown = (kind) => `${kind}-${++counts[kind]}`;
const oauth = mockOAuthServer({
  issuer,
  clients: { app: 'secret' },
  rotateRefreshTokens: true,
  requirePkce: false,
  opaqueToken: (kind) => names(kind) as string,
});
const server = setupServer(
  ...oauth.handlers,
  http.get(
    'https://api.test/me',
    oauth.protect(({ accessToken }) => HttpResponse.json({ accessToken })),
  ),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  vi.restoreAllMocks();
  oauth.reset();
  for (const kind of Object.keys(counts) as OpaqueTokenKind[]) counts[kind] = 0;
  names = (kind) => `${kind}-${++counts[kind]}`;
});
afterAll(() => server.close());

const app = { Authorization: basic('app', 'secret') };

test('access tokens, refresh tokens and codes carry the names the option gives, in order', async () => {
  const code = await oauth.authorize({ clientId: 'app', redirectUri });
  expect(code).toBe('code-1');
  const exchanged = await json(
    await postToken({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, app),
  );
  expect(exchanged).toMatchObject({
    access_token: 'access_token-1',
    refresh_token: 'refresh_token-1',
  });
  const refreshed = await json(
    await postToken({ grant_type: 'refresh_token', refresh_token: 'refresh_token-1' }, app),
  );
  expect(refreshed).toMatchObject({
    access_token: 'access_token-2',
    refresh_token: 'refresh_token-2',
  });
  // A named token is a real one: protect() accepts it.
  const me = await fetch('https://api.test/me', {
    headers: { Authorization: 'Bearer access_token-2' },
  });
  expect(await me.json()).toEqual({ accessToken: 'access_token-2' });
});

test('without the option, opaque tokens are random', async () => {
  const plain = mockOAuthServer({ issuer: 'https://plain.test', clients: { app: 'secret' } });
  server.use(...plain.handlers);
  const issue = async () =>
    json(
      await fetch('https://plain.test/token', {
        method: 'POST',
        headers: app,
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      }),
    );
  const [first, second] = [await issue(), await issue()];
  expect(first.access_token).toMatch(/^mock_at_[A-Za-z0-9_-]{43}$/);
  expect(second.access_token).not.toBe(first.access_token);
});

test('a name that is not a string of the right syntax, or was issued before, fails the request', async () => {
  const issue = () => postToken({ grant_type: 'client_credentials' }, app);
  vi.spyOn(console, 'error').mockImplementation(() => {}); // msw logs the handler's exception
  names = () => 'has space';
  const malformed = await issue();
  expect(malformed.status).toBe(500);
  expect(await malformed.text()).toContain(
    "opaqueToken('access_token') must return an RFC 6750 b64token",
  );
  names = () => 42;
  expect(await (await issue()).text()).toContain('opaqueToken');
  names = () => 'same';
  expect((await issue()).status).toBe(200);
  const repeated = await issue();
  expect(repeated.status).toBe(500);
  expect(await repeated.text()).toContain('returned \\"same\\", issued before');
});

test('a non-function is a TypeError naming the option', () => {
  expect(() =>
    mockOAuthServer({ issuer, clients: {}, opaqueToken: 'tok' as unknown as () => string }),
  ).toThrow(/mockOAuthServer: opaqueToken must be a function/);
});
