/**
 * The five seed vendors end to end: each token endpoint is an msw handler built from the vendor's
 * own document (exact URL, method, content type and body fields), which answers anything else with
 * the vendor's documented error. The configs are the README recipes: keep them short.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { TokenEndpointError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { tokenRequest } from './flows/token-request.ts';
import { papayaJwt, partnerJwt } from './test-support/seed-jwts.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';

const hour = 3_600_000;
const formType = 'application/x-www-form-urlencoded';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  await Promise.all(managers.splice(0).map((tokens) => tokens.close()));
  server.resetHandlers();
});
afterAll(() => server.close());

/** The injected clock: each test sets it. */
let clock = 0;
const now = (): number => clock;
const managers: TokenManager[] = [];
function manager(options: TokenManagerOptions): TokenManager {
  const tokens = createTokenManager(options);
  managers.push(tokens);
  return tokens;
}

/** What a handler saw of one request. */
interface Seen {
  readonly headers: Headers;
  readonly body: Record<string, unknown> | undefined;
}

/** The body as a record, if the request has exactly `contentType` and no repeated field. */
async function bodyOf(request: Request, contentType: string): Promise<Seen> {
  const headers = request.headers;
  if (headers.get('content-type') !== contentType) return { headers, body: undefined };
  const text = await request.text();
  if (contentType.startsWith(formType)) {
    const pairs = [...new URLSearchParams(text)];
    const body = Object.fromEntries(pairs);
    return { headers, body: Object.keys(body).length === pairs.length ? body : undefined };
  }
  try {
    const json: unknown = JSON.parse(text);
    const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
    return { headers, body: isObject ? (json as Record<string, unknown>) : undefined };
  } catch {
    return { headers, body: undefined };
  }
}

/** Whether `body` has exactly the `required` fields (plus any `optional` ones), all strings. */
function hasFields(
  body: Record<string, unknown> | undefined,
  required: readonly string[],
  optional: readonly string[] = [],
): body is Record<string, string> {
  if (body === undefined) return false;
  const keys = Object.keys(body);
  return (
    required.every((key) => keys.includes(key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key)) &&
    Object.values(body).every((value) => typeof value === 'string')
  );
}

describe('seed 000: PA (client_credentials, form, 25 h token)', () => {
  const tokenUrl = 'https://pa-auth.example.com/auth/connect/token';
  const [clientId, clientSecret] = ['pa-client', 'pa-secret'];

  function paEndpoint(seen: Seen[]) {
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, formType);
      seen.push(sent);
      const { body } = sent;
      if (
        !hasFields(body, ['client_id', 'client_secret', 'grant_type']) ||
        body.grant_type !== 'client_credentials'
      ) {
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      }
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
      }
      return HttpResponse.json({
        access_token: `pa-token-${seen.length}`,
        expires_in: 90000,
        token_type: 'Bearer',
        scope: 'api:recs api:search',
      });
    });
  }

  test('one token serves every call for 24 h, then is renewed in the background', async () => {
    clock = Date.parse('2025-01-06T09:00:00Z');
    const start = clock;
    const seen: Seen[] = [];
    server.use(paEndpoint(seen));
    const tokens = manager({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      refreshAheadMs: hour, // renew after 24 h of the 25 h
      now,
    });

    const first = await tokens.getToken();
    expect(first).toMatchObject({
      accessToken: 'pa-token-1',
      tokenType: 'Bearer',
      scope: 'api:recs api:search',
      expiresAt: start + 25 * hour,
      issuedAt: start,
    });
    expect(seen).toHaveLength(1);

    clock = start + 24 * hour - 1;
    for (let call = 0; call < 100; call++) expect(await tokens.getToken()).toBe(first);
    expect(seen).toHaveLength(1);

    clock = start + 24.5 * hour; // inside the refresh-ahead hour, whatever the jitter
    expect(await tokens.getToken()).toBe(first); // served at once while the renewal runs
    await vi.waitFor(async () => expect((await tokens.getToken()).accessToken).toBe('pa-token-2'));
    expect(seen).toHaveLength(2);
    expect(await tokens.getToken()).toMatchObject({ expiresAt: clock + 25 * hour });
  });
});

describe('seed 001: Priava (authorization_code, charset form, TenantRegion, BEARER)', () => {
  const tokenUrl = 'https://mytenant.priava.com/rest/oauth/token';
  const [clientId, clientSecret] = ['priava-client', 'priava-secret'];
  const redirectUri = 'https://my.app.com/oauth2callback';
  const priavaType = `${formType};charset=utf-8`;

  function priavaEndpoint(
    state: { codes: Set<string>; refreshTokens: Set<string>; rotate: boolean },
    seen: Seen[],
  ) {
    const fail = (error: string, description: string) =>
      HttpResponse.json({ error, error_description: description }, { status: 400 });
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, priavaType);
      seen.push(sent);
      const { body, headers } = sent;
      if (body === undefined)
        return fail('invalid_request', 'Content-Type must be form-urlencoded;charset=utf-8');
      if (!['APAC', 'EU', 'US'].includes(headers.get('tenantregion') ?? '')) {
        return fail('invalid_request', 'TenantRegion header must be APAC, EU or US');
      }
      const client = ['grant_type', 'client_id', 'client_secret', 'redirect_uri'];
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return fail('invalid_client', 'Unknown client');
      }
      if (body.redirect_uri !== redirectUri)
        return fail('invalid_request', 'redirect_uri mismatch');
      if (body.grant_type === 'authorization_code' && hasFields(body, [...client, 'code'])) {
        if (!state.codes.delete(body.code ?? ''))
          return fail('invalid_grant', 'Invalid authorization code');
      } else if (
        body.grant_type === 'refresh_token' &&
        hasFields(body, [...client, 'refresh_token'])
      ) {
        if (!state.refreshTokens.has(body.refresh_token ?? ''))
          return fail('invalid_grant', 'Invalid refresh token');
        if (state.rotate) state.refreshTokens.delete(body.refresh_token ?? '');
      } else {
        return fail('invalid_request', 'Unexpected parameters');
      }
      const n = seen.length;
      if (state.rotate) state.refreshTokens.add(`priava-rt-${n}`);
      return HttpResponse.json({
        access_token: `priava-at-${n}`,
        ...(state.rotate ? { refresh_token: `priava-rt-${n}` } : {}),
        token_type: 'BEARER',
        expires_in: 21600,
      });
    });
  }

  const priavaFlow = (region = 'EU') =>
    authorizationCode({
      tokenUrl,
      clientId,
      clientSecret,
      code: 'code-1',
      redirectUri,
      headers: { 'Content-Type': priavaType, TenantRegion: region },
      params: { redirect_uri: redirectUri }, // Priava wants it on refresh too
    });

  test('exchanges the code once, then refreshes after expiry with the rotated refresh token', async () => {
    clock = Date.parse('2025-03-01T00:00:00Z');
    const start = clock;
    const state = { codes: new Set(['code-1']), refreshTokens: new Set<string>(), rotate: true };
    const seen: Seen[] = [];
    server.use(priavaEndpoint(state, seen));
    const tokens = manager({ flow: priavaFlow(), now });

    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-1',
      refreshToken: 'priava-rt-1',
      tokenType: 'Bearer',
      expiresAt: start + 6 * hour,
    });

    clock = start + 6 * hour;
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-2',
      refreshToken: 'priava-rt-2',
      tokenType: 'Bearer',
      expiresAt: start + 12 * hour,
    });

    state.rotate = false; // the server stops rotating: the client keeps the refresh token it has
    clock = start + 12 * hour;
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-3',
      refreshToken: 'priava-rt-2',
      expiresAt: start + 18 * hour,
    });

    expect(seen.map(({ body }) => [body?.grant_type, body?.code ?? body?.refresh_token])).toEqual([
      ['authorization_code', 'code-1'],
      ['refresh_token', 'priava-rt-1'],
      ['refresh_token', 'priava-rt-2'],
    ]);
    for (const { headers } of seen) {
      expect(headers.get('content-type')).toBe(priavaType);
      expect(headers.get('tenantregion')).toBe('EU');
    }
  });

  test('400 {error, error_description} becomes a TokenEndpointError with the fields', async () => {
    clock = Date.parse('2025-03-01T00:00:00Z');
    const seen: Seen[] = [];
    server.use(
      priavaEndpoint({ codes: new Set(['code-1']), refreshTokens: new Set(), rotate: true }, seen),
    );
    const tokens = manager({ flow: priavaFlow('MARS'), now });

    const error: unknown = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 400,
      error: 'invalid_request',
      errorDescription: 'TenantRegion header must be APAC, EU or US',
    });
    expect(seen).toHaveLength(1); // a 4xx is not retried
  });

  test('a rejected refresh token asks for re-authorization', async () => {
    clock = Date.parse('2025-03-01T00:00:00Z');
    const state = { codes: new Set(['code-1']), refreshTokens: new Set<string>(), rotate: true };
    server.use(priavaEndpoint(state, []));
    const tokens = manager({ flow: priavaFlow(), now });
    await tokens.getToken();

    state.refreshTokens.clear(); // revoked in Priava
    clock += 6 * hour;
    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'ReauthorizationRequiredError',
      code: 'ERR_REAUTHORIZATION_REQUIRED',
      error: 'invalid_grant',
      errorDescription: 'Invalid refresh token',
    });
  });
});

describe('seed 002: Papaya Global (JSON credentials, 201, valid_until without seconds)', () => {
  const url = 'https://authentication-service.staging.pay.papayaglobal.work/token';
  const apiKey = '82725488-22bf-40d1-ace6-9ea6ee42f870';
  const papayaFlow = (clientSecret = 'MySecret!!!') =>
    tokenRequest({
      url,
      body: { api_key: apiKey, client_secret: clientSecret, token_name: '82725488-22bf' },
      successStatus: 201,
      response: { accessToken: 'token', expiresAt: 'valid_until' },
    });

  function papayaEndpoint(seen: Seen[], serverAheadMs?: number) {
    return http.post(url, async ({ request }) => {
      const sent = await bodyOf(request, 'application/json');
      seen.push(sent);
      const { body } = sent;
      if (
        !hasFields(body, ['api_key', 'client_secret'], ['token_name']) ||
        body.api_key !== apiKey ||
        body.client_secret !== 'MySecret!!!'
      ) {
        return HttpResponse.json({ error: 'Invalid request' }, { status: 401 });
      }
      const headers: Record<string, string> =
        serverAheadMs === undefined ? {} : { Date: new Date(clock + serverAheadMs).toUTCString() };
      return HttpResponse.json(
        {
          valid_until: '2024-07-11T07:48Z',
          token: papayaJwt,
          token_name: body.token_name ?? 'uuid',
        },
        { status: 201, headers },
      );
    });
  }

  test('201 with the JWT; valid_until (no seconds) is the expiry, not the JWT exp', async () => {
    clock = Date.parse('2024-07-10T07:48:31Z'); // the JWT's iat
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen));
    const tokens = manager({ flow: papayaFlow(), now });

    const token = await tokens.getToken();
    expect(token).toMatchObject({
      accessToken: papayaJwt,
      tokenType: 'Bearer',
      expiresAt: Date.parse('2024-07-11T07:48:00Z'),
      raw: { token_name: '82725488-22bf' },
    });
    expect(seen[0]?.body).toEqual({
      api_key: apiKey,
      client_secret: 'MySecret!!!',
      token_name: '82725488-22bf',
    });
    expect(seen[0]?.headers.get('accept')).toBe('application/json');
  });

  test('a Date header one hour ahead shifts valid_until, and the token stays in use', async () => {
    clock = Date.parse('2024-07-10T07:48:31Z');
    const start = clock;
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen, hour));
    const tokens = manager({ flow: papayaFlow(), now });

    const token = await tokens.getToken();
    // One hour earlier, and up to a second more: the Date header has whole seconds.
    expect(token.expiresAt).toBe(Date.parse('2024-07-11T06:48:00Z') - 999);
    clock = start + 22 * hour;
    expect(await tokens.getToken()).toBe(token);
    expect(seen).toHaveLength(1);
  });

  test('401 {error: "Invalid request"} becomes a TokenEndpointError', async () => {
    clock = Date.parse('2024-07-10T07:48:31Z');
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen));
    const tokens = manager({ flow: papayaFlow('wrong-secret'), now });

    const error: unknown = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 401,
      error: 'Invalid request',
      message: 'Token endpoint answered 401 (Invalid request)',
    });
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
    expect(seen).toHaveLength(1);
  });
});

describe('seed 003: Personify (client_credentials, scope=idp_api, X-Tenant-Id)', () => {
  const tokenUrl = 'https://prod.personifyauth.com/connect/token';
  const clientId = 'personify-client';
  const personifyFlow = (clientSecret = 'personify-secret') =>
    clientCredentials({ tokenUrl, clientId, clientSecret, scope: 'idp_api' });

  function personifyEndpoint(seen: Seen[]) {
    const fail = (error: string, description: string) =>
      HttpResponse.json({ error, error_description: description }, { status: 400 });
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, formType);
      seen.push(sent);
      const { body } = sent;
      if (!hasFields(body, ['client_id', 'client_secret', 'grant_type', 'scope'])) {
        return fail('invalid_request', 'Missing required form parameters');
      }
      if (body.client_id !== clientId || body.client_secret !== 'personify-secret') {
        return fail('invalid_client', 'Invalid client credentials');
      }
      if (body.grant_type !== 'client_credentials') return fail('unsupported_grant_type', 'No');
      if (body.scope !== 'idp_api') return fail('invalid_scope', 'Unknown scope');
      return HttpResponse.json({
        access_token: `personify-at-${seen.length}`,
        expires_in: 3600,
        token_type: 'Bearer',
        scope: 'idp_api',
      });
    });
  }

  test('caches the 3600 s token, then requests a new one after expiry', async () => {
    clock = Date.parse('2025-05-05T12:00:00Z');
    const start = clock;
    const seen: Seen[] = [];
    server.use(personifyEndpoint(seen));
    const tokens = manager({ flow: personifyFlow(), now });

    const first = await tokens.getToken();
    expect(first).toMatchObject({
      accessToken: 'personify-at-1',
      scope: 'idp_api',
      expiresAt: start + hour,
    });
    clock = start + 30 * 60_000;
    expect(await tokens.getToken()).toBe(first);

    clock = start + hour;
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'personify-at-2',
      expiresAt: start + 2 * hour,
    });
    expect(seen.map(({ body }) => body?.grant_type)).toEqual([
      'client_credentials',
      'client_credentials',
    ]);
  });

  test('API calls carry the token and X-Tenant-Id', async () => {
    clock = Date.parse('2025-05-05T12:00:00Z');
    server.use(
      personifyEndpoint([]),
      http.get('https://api.personify.example/v1/members', ({ request }) =>
        request.headers.get('authorization') === 'Bearer personify-at-1' &&
        request.headers.get('x-tenant-id') === 'tenant-42'
          ? HttpResponse.json({ members: [] })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const tokens = manager({ flow: personifyFlow(), now });
    const personifyFetch = createAuthFetch({ tokens, headers: { 'X-Tenant-Id': 'tenant-42' } });

    const res = await personifyFetch('https://api.personify.example/v1/members');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ members: [] });
  });

  test('invalid_client becomes a TokenEndpointError with the fields', async () => {
    clock = Date.parse('2025-05-05T12:00:00Z');
    server.use(personifyEndpoint([]));
    const tokens = manager({ flow: personifyFlow('wrong'), now });

    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      status: 400,
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
    });
  });
});

describe('seed 004: partner bookings API (JSON client_credentials, JWT, no refresh)', () => {
  const tokenUrl = 'https://partner.example.com/api/oauth/token';
  const [clientId, clientSecret] = ['partner-client', 'partner-secret'];
  const partnerFlow = () =>
    clientCredentials({ tokenUrl, clientId, clientSecret, bodyFormat: 'json' });
  const issuedAt = 1_710_220_031_583; // the JWT's iat, in ms

  function partnerEndpoint(seen: Seen[], answer: Record<string, unknown>) {
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, 'application/json');
      seen.push(sent);
      const { body, headers } = sent;
      if (
        headers.get('accept') !== 'application/json' ||
        !hasFields(body, ['grant_type', 'client_id', 'client_secret']) ||
        body.grant_type !== 'client_credentials' ||
        body.client_id !== clientId ||
        body.client_secret !== clientSecret
      ) {
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      }
      return HttpResponse.json(answer);
    });
  }

  test('JSON body with Accept: application/json; a new token (not a refresh) after expiry', async () => {
    clock = issuedAt;
    const seen: Seen[] = [];
    server.use(
      partnerEndpoint(seen, { token_type: 'Bearer', expires_in: 3600, access_token: partnerJwt }),
    );
    const flow = partnerFlow();
    expect(flow.refreshGrant).toBeUndefined();
    const tokens = manager({ flow, now });

    const first = await tokens.getToken();
    expect(first).toMatchObject({ accessToken: partnerJwt, expiresAt: issuedAt + hour });
    expect(first.refreshToken).toBeUndefined();
    expect(seen[0]?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });

    clock = issuedAt + hour;
    expect(await tokens.getToken()).toMatchObject({ expiresAt: issuedAt + 2 * hour });
    expect(seen.map(({ body }) => body?.grant_type)).toEqual([
      'client_credentials',
      'client_credentials',
    ]);
  });

  test('without expires_in, the JWT exp is the expiry', async () => {
    clock = issuedAt;
    server.use(partnerEndpoint([], { token_type: 'Bearer', access_token: partnerJwt }));
    const tokens = manager({ flow: partnerFlow(), now });

    expect((await tokens.getToken()).expiresAt).toBe(1_710_223_631_577);
  });
});
