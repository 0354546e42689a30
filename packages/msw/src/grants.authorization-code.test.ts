/**
 * The authorization code grant with PKCE S256 (RFC 7636): the Appendix B verifier redeems its
 * code; a wrong verifier, another redirect URI or client, a second use and an expired code do not.
 */
import { describe, expect, test } from 'vitest';
import {
  app,
  challenge,
  redirectUri,
  serveGrantsMock,
  verifier,
} from './test-support/grants-mock.ts';
import { basic, json, postToken } from './test-support/http.ts';

const { oauth, exchange } = serveGrantsMock();

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
