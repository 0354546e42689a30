/**
 * Token endpoint answers read end to end, through a manager with an injected fetch: what is
 * not a token is a TokenResponseError; a GET endpoint and a form-encoded answer work.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { TokenResponseError } from '../errors.ts';
import { formType, tokenUrl } from '../test-support/flow-fixtures.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';
import { clientCredentials } from './client-credentials.ts';
import { tokenRequest } from './token-request.ts';

describe('answers read end to end (injected fetch)', () => {
  const managers: TokenManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });

  const getToken = (body: string, contentType: string, status = 200) => {
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' }),
      fetch: async () => new Response(body, { status, headers: { 'content-type': contentType } }),
      retry: false,
    });
    managers.push(tokens);
    return tokens.getToken();
  };

  test.each([
    { name: 'an HTML page', body: '<!doctype html><title>Login</title>', type: 'text/html' },
    { name: 'truncated JSON', body: '{"access_token": "a', type: 'application/json' },
    { name: 'a JSON array', body: '[{"access_token":"a"}]', type: 'application/json' },
    { name: 'an empty body', body: '', type: 'application/json' },
  ])('$name with 200 is a TokenResponseError', async ({ body, type }) => {
    const error: unknown = await getToken(body, type).catch((caught: unknown) => caught);
    expect(error instanceof TokenResponseError).toBe(true);
    expect(error).toMatchObject({ status: 200, code: 'ERR_TOKEN_RESPONSE' });
  });

  test('{error} with 200 is a TokenResponseError with the fields', async () => {
    await expect(
      getToken('{"error":"unauthorized_client","error_description":"No"}', 'application/json'),
    ).rejects.toMatchObject({
      name: 'TokenResponseError',
      error: 'unauthorized_client',
      errorDescription: 'No',
    });
  });

  test('a GET token endpoint is reachable (fetch refuses a GET with a body)', async () => {
    const urls: string[] = [];
    const tokens = createTokenManager({
      flow: tokenRequest({
        url: 'https://vendor.example/token',
        method: 'GET',
        body: { api_key: 'k' },
        response: { accessToken: 'token' },
      }),
      fetch: async (input, init) => {
        const request = new Request(input, init); // throws like fetch on a GET body
        urls.push(request.url);
        return Response.json({ token: 't' });
      },
      retry: false,
    });
    managers.push(tokens);
    expect((await tokens.getToken()).accessToken).toBe('t');
    expect(urls).toEqual(['https://vendor.example/token?api_key=k']);
  });

  test('a form-encoded answer is read too', async () => {
    const token = await getToken('access_token=abc&token_type=bearer&scope=repo+gist', formType);
    expect(token).toMatchObject({ accessToken: 'abc', tokenType: 'Bearer', scope: 'repo gist' });
  });
});
