/**
 * The token endpoint against RFC 6749: the §4.1.3 and §4.4.2 example requests, §4.4.3/§5.1
 * success answers, a §5.2 error for each error case, §2.3.1 client authentication.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, formType, issuer, json, postToken, tokenUrl } from './test-support/http.ts';

const oauth = mockOAuthServer({
  issuer,
  clients: {
    s6BhdRkqt3: 'gX1fBat3bV', // RFC 6749's example client
    app: 'secret',
    'my app:1': 'p@ss wörd+/=%', // needs the §2.3.1 form encoding
    spa: null,
    reports: { secret: 'r', scope: ['read', 'write'], grantTypes: ['client_credentials'] },
  },
  accessTokenTtl: 3600,
  requirePkce: false,
});
const server = setupServer(...oauth.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => oauth.reset());
afterAll(() => server.close());

const rfcBasic = 'Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW'; // s6BhdRkqt3:gX1fBat3bV

/** RFC 6749 §5.1 and §5.2: no caching, and a Date header (mock clock). */
function expectTokenHeaders(response: Response): void {
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Date.parse(response.headers.get('date')!)).toBeGreaterThan(0);
}

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

describe('§2.3.1 client authentication', () => {
  test('Basic with form-urlencoded id and secret', async () => {
    const ok = await postToken('grant_type=client_credentials', {
      Authorization: basic('my app:1', 'p@ss wörd+/=%'),
    });
    expect(ok.status).toBe(200);
    // Without the form encoding, the ':' in the id splits it wrongly.
    const raw = `Basic ${btoa(unescape(encodeURIComponent('my app:1:p@ss wörd+/=%')))}`;
    const refused = await postToken('grant_type=client_credentials', { Authorization: raw });
    expect(refused.status).toBe(401);
  });

  test('client_secret_post and none (public client)', async () => {
    const post = await postToken({
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 'secret',
    });
    expect(post.status).toBe(200);
    const code = await oauth.authorize({ clientId: 'spa', redirectUri: 'https://spa.test/cb' });
    const none = await postToken({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      redirect_uri: 'https://spa.test/cb',
    });
    expect(none.status).toBe(200);
    expect(oauth.tokenRequests.map((r) => r.clientAuth)).toEqual(['client_secret_post', 'none']);
  });

  test('JSON bodies are refused unless acceptJsonBodies', async () => {
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'app',
        client_secret: 'secret',
      }),
    };
    const refused = await fetch(tokenUrl, init);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ error: 'invalid_request' });
    const lenient = mockOAuthServer({
      issuer: 'https://json.test',
      clients: { app: 'secret' },
      acceptJsonBodies: true,
    });
    server.use(...lenient.handlers);
    const accepted = await fetch('https://json.test/token', init);
    expect(accepted.status).toBe(200);
  });
});

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

describe('tokenRequests', () => {
  test('records failed requests too, with what the client sent', async () => {
    await postToken(
      { grant_type: 'refresh_token', refresh_token: 'rt-1', scope: 'a' },
      {
        Authorization: basic('app', 'secret'),
      },
    );
    expect(oauth.tokenRequests).toEqual([
      {
        grantType: 'refresh_token',
        clientId: 'app',
        clientAuth: 'client_secret_basic',
        scope: 'a',
        refreshToken: 'rt-1',
        status: 400,
        error: 'invalid_grant',
        at: expect.any(Number),
      },
    ]);
  });
});
