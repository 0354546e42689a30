/** protect(): RFC 6750 §3 challenges, expiry on the mock clock, revokeAll, scope, claims. */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, issuer, json, postToken } from './test-support/http.ts';

let clock = Date.parse('2026-01-01T00:00:00Z');
const oauth = mockOAuthServer({
  issuer,
  clients: { app: 'secret' },
  accessTokenTtl: 60,
  now: () => clock,
});
const server = setupServer(
  ...oauth.handlers,
  http.get(
    'https://api.test/me',
    oauth.protect(({ claims, accessToken, request }) =>
      HttpResponse.json({ claims, accessToken, url: request.url }),
    ),
  ),
  http.delete(
    'https://api.test/items',
    oauth.protect(() => new HttpResponse(null, { status: 204 }), { scope: 'items:write' }),
  ),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => oauth.reset());
afterAll(() => server.close());

async function accessToken(scope?: string): Promise<string> {
  const body = { grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) };
  const answer = await json(await postToken(body, { Authorization: basic('app', 'secret') }));
  return String(answer.access_token);
}

const me = (authorization?: string) =>
  fetch(
    'https://api.test/me',
    authorization === undefined ? {} : { headers: { Authorization: authorization } },
  );

describe('RFC 6750 §3 challenges', () => {
  test('no credentials, or another scheme: 401 without an error code', async () => {
    for (const response of [await me(), await me(basic('app', 'secret'))]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${issuer}"`);
    }
  });

  test('malformed Bearer credentials: 400 invalid_request', async () => {
    for (const header of ['Bearer', 'Bearer a b', 'Bearer ä']) {
      const response = await me(header);
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="[^"]+", error="invalid_request"/,
      );
    }
  });

  test('unknown token: 401 invalid_token', async () => {
    const response = await me('Bearer nope');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="${issuer}", error="invalid_token", error_description="The access token is not known"`,
    );
  });

  test('insufficient scope: 403 with the required scope', async () => {
    const token = await accessToken('items:read');
    const response = await fetch('https://api.test/items', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain(
      'error="insufficient_scope", error_description="The access token lacks the required scope", scope="items:write"',
    );
    const allowed = await fetch('https://api.test/items', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await accessToken('items:write')}` },
    });
    expect(allowed.status).toBe(204);
  });
});

describe('valid tokens', () => {
  test("the resolver gets msw's argument plus the verified claims", async () => {
    const token = await accessToken('a b');
    const response = await me(`bearer ${token}`); // the scheme is case-insensitive
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toEqual({
      accessToken: token,
      url: 'https://api.test/me',
      claims: {
        iss: issuer,
        sub: 'app',
        client_id: 'app',
        scope: 'a b',
        iat: clock / 1000,
        exp: clock / 1000 + 60,
        jti: expect.any(String),
      },
    });
  });

  test('the mock clock moving past expires_in expires the token (exact boundary)', async () => {
    const token = await accessToken();
    clock += 59_999;
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    oauth.advance(1);
    const expired = await me(`Bearer ${token}`);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain(
      'error="invalid_token", error_description="The access token expired"',
    );
    expect(new Date(expired.headers.get('date')!).getTime()).toBe(
      Math.floor(oauth.now() / 1000) * 1000,
    );
  });

  test('revokeAll(): every token issued so far answers 401 invalid_token; new ones work', async () => {
    const token = await accessToken();
    oauth.revokeAll();
    const revoked = await me(`Bearer ${token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('The access token was revoked');
    expect((await me(`Bearer ${await accessToken()}`)).status).toBe(200);
  });
});

test('bad options are TypeErrors naming the option', () => {
  expect(() => oauth.protect(() => undefined, { scope: 'a"b' })).toThrow(/protect: scope/);
  expect(() => mockOAuthServer({ issuer: 'auth.test', clients: {} })).toThrow(/issuer/);
  expect(() => mockOAuthServer({ issuer, clients: {}, accessTokenTtl: 0 })).toThrow(
    /accessTokenTtl/,
  );
  expect(() => mockOAuthServer({ issuer, clients: { a: '' } })).toThrow(/clients\.a/);
  expect(() =>
    mockOAuthServer({ issuer, clients: {}, accessTokenFormat: 'paseto' as 'jwt' }),
  ).toThrow(/accessTokenFormat/);
  expect(() => oauth.advance(-1)).toThrow(/advance: ms/);
  expect(() => oauth.failNext(0, { status: 500 })).toThrow(/failNext: count/);
});
