/**
 * The token endpoint against RFC 6749's own examples: the §4.4.2 and §4.1.3 requests, the
 * §4.4.3 and §5.1 answers, and the granted scope in the answer.
 */
import { describe, expect, test } from 'vitest';
import { basic, json, postToken } from './test-support/http.ts';
import {
  expectTokenHeaders,
  rfcBasic,
  serveTokenEndpointMock,
} from './test-support/token-endpoint-mock.ts';

const { oauth } = serveTokenEndpointMock();

describe('RFC 6749 examples', () => {
  test('§4.4.2 request, §4.4.3 response: client credentials, Basic, no refresh token', async () => {
    const response = await postToken('grant_type=client_credentials', { Authorization: rfcBasic });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body.access_token).toEqual(expect.any(String));
    expect(oauth.tokenRequests).toEqual([
      expect.objectContaining({
        grantType: 'client_credentials',
        clientId: 's6BhdRkqt3',
        clientAuth: 'client_secret_basic',
        status: 200,
      }),
    ]);
  });

  test('§4.1.3 request, §5.1 response: code exchange with an encoded redirect_uri', async () => {
    const code = await oauth.authorize({
      clientId: 's6BhdRkqt3',
      redirectUri: 'https://client.example.com/cb',
    });
    const body = `grant_type=authorization_code&code=${code}&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb`;
    const response = await postToken(body, { Authorization: rfcBasic });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const answer = await json(response);
    expect(answer).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
    });
    // §4.1.2: the code is single-use.
    const again = await postToken(body, { Authorization: rfcBasic });
    expect(again.status).toBe(400);
    expect(await json(again)).toMatchObject({ error: 'invalid_grant' });
  });

  test('§5.1: scope in the answer is the granted scope', async () => {
    const response = await postToken(
      { grant_type: 'client_credentials', scope: 'read' },
      {
        Authorization: basic('reports', 'r'),
      },
    );
    expect(await json(response)).toMatchObject({ scope: 'read' });
    const all = await postToken(
      { grant_type: 'client_credentials' },
      {
        Authorization: basic('reports', 'r'),
      },
    );
    expect(await json(all)).toMatchObject({ scope: 'read write' }); // default: all registered
  });
});
