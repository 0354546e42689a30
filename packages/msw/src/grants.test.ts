/** PKCE (RFC 7636), code binding, refresh rotation and reuse detection (RFC 9700 §4.14.2). */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, issuer, json, postToken } from './test-support/http.ts';

// RFC 7636 Appendix B.
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const redirectUri = 'https://app.test/callback';

const oauth = mockOAuthServer({
  issuer,
  clients: { app: 'secret', other: 'secret2', spa: null },
  rotateRefreshTokens: true,
});
const server = setupServer(...oauth.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => oauth.reset());
afterAll(() => server.close());

const app = { Authorization: basic('app', 'secret') };

function exchange(code: string, extra: Record<string, string> = {}, headers = app) {
  return postToken(
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...extra,
    },
    headers,
  );
}

async function tokensFor(clientId = 'app', scope = 'read write') {
  const code = await oauth.authorize({ clientId, redirectUri, codeChallenge: challenge, scope });
  return json(await exchange(code));
}

describe('authorization code with PKCE S256', () => {
  test('the RFC 7636 Appendix B verifier redeems a code issued for its challenge', async () => {
    const code = await oauth.authorize({
      clientId: 'app',
      redirectUri,
      codeChallenge: challenge,
      scope: 'read',
    });
    const response = await exchange(code);
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      token_type: 'Bearer',
      scope: 'read',
      refresh_token: expect.any(String),
    });
  });

  test.each([
    ['a wrong verifier', { code_verifier: `${verifier.slice(0, -1)}A` }],
    ['no verifier', { code_verifier: '' }],
    ['another redirect_uri', { redirect_uri: 'https://app.test/other' }],
  ])('%s is invalid_grant', async (_name, extra) => {
    const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
    const response = await exchange(code, extra);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: 'invalid_grant' });
  });

  test('a code is bound to its client', async () => {
    const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
    const response = await exchange(code, {}, { Authorization: basic('other', 'secret2') });
    expect(await json(response)).toMatchObject({ error: 'invalid_grant' });
  });

  test('a second use is invalid_grant and revokes the tokens of the first', async () => {
    const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
    const first = await json(await exchange(code));
    expect(await json(await exchange(code))).toMatchObject({ error: 'invalid_grant' });
    const refresh = await postToken(
      { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) },
      app,
    );
    expect(await json(refresh)).toMatchObject({ error: 'invalid_grant' });
  });

  test('codes expire on the mock clock', async () => {
    const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
    oauth.advance(600_000);
    expect(await json(await exchange(code))).toMatchObject({ error: 'invalid_grant' });
  });

  test('authorize() refuses bad requests with a TypeError naming the parameter', async () => {
    await expect(
      oauth.authorize({ clientId: 'nobody', redirectUri, codeChallenge: challenge }),
    ).rejects.toThrow(/clientId/);
    await expect(oauth.authorize({ clientId: 'app', redirectUri })).rejects.toThrow(
      /codeChallenge/,
    );
    await expect(
      oauth.authorize({ clientId: 'app', redirectUri: 'cb', codeChallenge: challenge }),
    ).rejects.toThrow(/redirectUri/);
    await expect(
      oauth.authorize({
        clientId: 'app',
        redirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'plain' as 'S256',
      }),
    ).rejects.toThrow(TypeError);
  });
});

describe('GET /authorize', () => {
  test('auto-approves with a 302 carrying code, state and iss', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'spa',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    const response = await fetch(`${issuer}/authorize?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(issuer);
    const code = location.searchParams.get('code')!;
    const token = await postToken({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
  });

  test('errors go to the redirect URI, except for a bad client or redirect URI (400)', async () => {
    const noPkce = await fetch(
      `${issuer}/authorize?response_type=code&client_id=app&redirect_uri=${redirectUri}&state=s`,
      { redirect: 'manual' },
    );
    const location = new URL(noPkce.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s');
    const token = await fetch(
      `${issuer}/authorize?response_type=token&client_id=app&redirect_uri=${redirectUri}`,
      { redirect: 'manual' },
    );
    expect(new URL(token.headers.get('location')!).searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
    const unknown = await fetch(
      `${issuer}/authorize?response_type=code&client_id=nobody&redirect_uri=${redirectUri}`,
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
  });
});

describe('refresh_token', () => {
  test('rotation: each refresh returns a new refresh token; a narrower scope is allowed', async () => {
    const first = await tokensFor();
    const second = await json(
      await postToken(
        { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), scope: 'read' },
        app,
      ),
    );
    expect(second).toMatchObject({ token_type: 'Bearer', scope: 'read' });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const third = await postToken(
      { grant_type: 'refresh_token', refresh_token: String(second.refresh_token) },
      app,
    );
    expect(await json(third)).toMatchObject({ scope: 'read write' });
  });

  test('a wider scope than the grant is invalid_scope', async () => {
    const first = await tokensFor('app', 'read');
    const response = await postToken(
      {
        grant_type: 'refresh_token',
        refresh_token: String(first.refresh_token),
        scope: 'read admin',
      },
      app,
    );
    expect(await json(response)).toMatchObject({ error: 'invalid_scope' });
  });

  test('reuse of a rotated-out token is invalid_grant and revokes the family', async () => {
    const first = await tokensFor();
    const second = await json(
      await postToken(
        { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) },
        app,
      ),
    );
    const reuse = await postToken(
      { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) },
      app,
    );
    expect(reuse.status).toBe(400);
    expect(await json(reuse)).toMatchObject({ error: 'invalid_grant' });
    // The thief's and the client's current refresh token are both dead now.
    const current = await postToken(
      { grant_type: 'refresh_token', refresh_token: String(second.refresh_token) },
      app,
    );
    expect(await json(current)).toMatchObject({ error: 'invalid_grant' });
    expect(oauth.tokenRequests.map((r) => r.status)).toEqual([200, 200, 400, 400]);
  });

  test('a refresh token is bound to its client', async () => {
    const first = await tokensFor();
    const response = await postToken(
      { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) },
      { Authorization: basic('other', 'secret2') },
    );
    expect(await json(response)).toMatchObject({ error: 'invalid_grant' });
  });

  test('without rotation the same refresh token comes back and stays valid', async () => {
    const plain = mockOAuthServer({
      issuer: 'https://plain.test',
      clients: { app: 'secret' },
      refreshTokenTtl: 60,
    });
    server.use(...plain.handlers);
    const code = await plain.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
    const post = (body: Record<string, string>) =>
      fetch('https://plain.test/token', {
        method: 'POST',
        headers: app,
        body: new URLSearchParams(body),
      });
    const first = await json(
      await post({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    const refresh = { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) };
    expect(await json(await post(refresh))).toMatchObject({ refresh_token: first.refresh_token });
    expect((await post(refresh)).status).toBe(200);
    plain.advance(60_000); // refreshTokenTtl
    expect(await json(await post(refresh))).toMatchObject({ error: 'invalid_grant' });
  });
});
