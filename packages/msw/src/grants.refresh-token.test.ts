/**
 * The refresh token grant: rotation, a narrower scope, reuse detection that revokes the family
 * (RFC 9700 §4.14.2), binding to the client, and a non-rotating server.
 */
import { describe, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import {
  app,
  challenge,
  redirectUri,
  serveGrantsMock,
  verifier,
} from './test-support/grants-mock.ts';
import { basic, json, postToken } from './test-support/http.ts';

const { oauth, server, tokensFor } = serveGrantsMock();

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
