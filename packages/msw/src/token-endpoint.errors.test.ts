/**
 * The token endpoint's error answers (RFC 6749 §5.2): one case per error, the Basic challenge
 * after a failed Basic attempt, 405 for other methods, invalid_request for other bodies.
 */
import { describe, expect, test } from 'vitest';
import { basic, formType, issuer, json, postToken, tokenUrl } from './test-support/http.ts';
import { expectTokenHeaders, serveTokenEndpointMock } from './test-support/token-endpoint-mock.ts';

const { oauth } = serveTokenEndpointMock();

describe('§5.2 error responses', () => {
  const cases: [string, Record<string, string> | string, Record<string, string>, number, string][] =
    [
      [
        'missing grant_type',
        { client_id: 'app', client_secret: 'secret' },
        {},
        400,
        'invalid_request',
      ],
      [
        'repeated parameter',
        'grant_type=client_credentials&scope=a&scope=b',
        { Authorization: basic('app', 'secret') },
        400,
        'invalid_request',
      ],
      [
        'Basic and client_secret at once',
        { grant_type: 'client_credentials', client_secret: 'secret' },
        { Authorization: basic('app', 'secret') },
        400,
        'invalid_request',
      ],
      [
        'wrong secret in the body',
        { grant_type: 'client_credentials', client_id: 'app', client_secret: 'nope' },
        {},
        401,
        'invalid_client',
      ],
      ['no client authentication', { grant_type: 'client_credentials' }, {}, 401, 'invalid_client'],
      [
        'confidential client without its secret',
        { grant_type: 'client_credentials', client_id: 'app' },
        {},
        401,
        'invalid_client',
      ],
      [
        'unknown code',
        { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://a.test/cb' },
        { Authorization: basic('app', 'secret') },
        400,
        'invalid_grant',
      ],
      [
        'unknown refresh token',
        { grant_type: 'refresh_token', refresh_token: 'x' },
        { Authorization: basic('app', 'secret') },
        400,
        'invalid_grant',
      ],
      [
        'public client using client_credentials',
        { grant_type: 'client_credentials', client_id: 'spa' },
        {},
        400,
        'unauthorized_client',
      ],
      [
        'grant the client is not registered for',
        { grant_type: 'refresh_token', refresh_token: 'x' },
        { Authorization: basic('reports', 'r') },
        400,
        'unauthorized_client',
      ],
      [
        'password grant',
        { grant_type: 'password', username: 'u', password: 'p' },
        { Authorization: basic('app', 'secret') },
        400,
        'unsupported_grant_type',
      ],
      [
        'scope beyond the registration',
        { grant_type: 'client_credentials', scope: 'admin' },
        { Authorization: basic('reports', 'r') },
        400,
        'invalid_scope',
      ],
      [
        'malformed scope',
        { grant_type: 'client_credentials', scope: 'a"b' },
        { Authorization: basic('app', 'secret') },
        400,
        'invalid_scope',
      ],
    ];

  test.each(cases)('%s', async (_name, body, headers, status, error) => {
    const response = await postToken(body, headers);
    expect(response.status).toBe(status);
    expectTokenHeaders(response);
    expect(await json(response)).toEqual({ error, error_description: expect.any(String) });
    expect(response.headers.has('www-authenticate')).toBe(false);
    expect(oauth.tokenRequests.at(-1)).toMatchObject({ status, error });
  });

  test('invalid_client after a Basic attempt: 401 with a Basic challenge', async () => {
    for (const authorization of [
      basic('app', 'wrong'),
      basic('ghost', 'x'),
      'Basic !!!',
      'Digest x',
    ]) {
      const response = await postToken('grant_type=client_credentials', {
        Authorization: authorization,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Basic realm="${issuer}"`);
      expect(await json(response)).toMatchObject({ error: 'invalid_client' });
    }
  });

  test('other methods than POST: 405', async () => {
    const response = await fetch(tokenUrl);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('a body that is not form-encoded: invalid_request', async () => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: basic('app', 'secret') },
      body: 'grant_type=client_credentials',
    });
    expect(await json(response)).toMatchObject({ error: 'invalid_request' });
    expect(formType).toBe('application/x-www-form-urlencoded');
  });
});
