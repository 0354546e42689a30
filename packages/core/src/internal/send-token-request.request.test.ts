/** The request a token request sends, and how it reads the answer's body. */
import { describe, expect, it } from 'vitest';
import { TokenEndpointError } from '../errors.ts';
import { fetchOf, ok, options, request, status } from '../test-support/send-request-fixtures.ts';
import { sendTokenRequest } from './send-token-request.ts';

describe('the request it sends', () => {
  it('passes method, headers and body, refuses redirects and skips caches', async () => {
    const fetch = fetchOf(ok());
    await sendTokenRequest(request, options(fetch));
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(request.url);
    expect(init).toMatchObject({
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      cache: 'no-store',
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('turns a redirect from the token endpoint into a TokenEndpointError, not retried', async () => {
    const fetch = fetchOf(status(302, { location: 'https://elsewhere.example/token' }, ''));
    const error = await sendTokenRequest(request, options(fetch)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 302, code: 'ERR_TOKEN_ENDPOINT' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['JSON', 'application/json', '  {"access_token":"a"}', { access_token: 'a' }],
    [
      'a form',
      'application/x-www-form-urlencoded',
      'access_token=a&expires_in=5',
      {
        access_token: 'a',
        expires_in: '5',
      },
    ],
    ['HTML', 'text/html', '<html>login</html>', undefined],
    ['a JSON array', 'application/json', '[1]', undefined],
    ['broken JSON', 'application/json', '{"access_token":', undefined],
    ['nothing', 'application/json', '', undefined],
  ])('parses %s', async (_, type, text, body) => {
    const fetch = fetchOf(new Response(text, { headers: { 'content-type': type } }));
    const { response } = await sendTokenRequest(request, options(fetch));
    expect(response.text).toBe(text);
    expect(response.body).toEqual(body);
  });
});
