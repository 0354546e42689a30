import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { TokenResponseError } from '../errors.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';
import { authorizationCode } from './authorization-code.ts';
import { clientCredentials } from './client-credentials.ts';
import type { Flow } from './flow.ts';
import { parseOAuthResponse } from './oauth-options.ts';
import { refreshToken } from './refresh-token.ts';
import { tokenRequest } from './token-request.ts';

const ccBase = () => ({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'client-1',
  clientSecret: 'secret-1',
});

const tokenUrl = 'https://auth.example.com/connect/token';
const formType = 'application/x-www-form-urlencoded';

/** The form body as sorted [name, value] pairs (repeated names stay repeated). */
function formOf(request: TokenHttpRequest): [string, string][] {
  expect(request.headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
  return [...new URLSearchParams(request.body)].sort(([a], [b]) => a.localeCompare(b));
}

function jsonOf(request: TokenHttpRequest): unknown {
  expect(request.headers['Content-Type']).toBe('application/json');
  return JSON.parse(request.body ?? '');
}

function initial(flow: Flow): TokenHttpRequest {
  if (!flow.initialGrant) throw new Error(`${flow.kind} has no initial grant`);
  return flow.initialGrant.request();
}

function refresh(flow: Flow, token: string): TokenHttpRequest {
  if (!flow.refreshGrant) throw new Error(`${flow.kind} cannot refresh`);
  return flow.refreshGrant(token);
}

function response(
  body: Record<string, unknown> | undefined,
  init: { status?: number; headers?: Record<string, string> } = {},
): TokenHttpResponse {
  return {
    status: init.status ?? 200,
    headers: new Headers(init.headers),
    text: body === undefined ? '' : JSON.stringify(body),
    body,
  };
}

describe('clientCredentials', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1' };

  test('defaults: POST, form body, client_secret_post, reusable, no refresh', () => {
    const flow = clientCredentials(base);
    expect(flow.kind).toBe('client_credentials');
    expect(flow.tokenUrl).toBe(tokenUrl);
    expect(flow.initialGrant?.reusable).toBe(true);
    expect(flow.refreshGrant).toBeUndefined();
    const request = initial(flow);
    expect(request).toMatchObject({ url: tokenUrl, method: 'POST' });
    expect(request.headers).toEqual({ 'Content-Type': formType, Accept: 'application/json' });
    expect(formOf(request)).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['grant_type', 'client_credentials'],
    ]);
  });

  test('client_secret_basic: RFC 6749 §2.3.1 example', () => {
    const request = initial(
      clientCredentials({
        tokenUrl,
        clientId: 's6BhdRkqt3',
        clientSecret: 'gX1fBat3bV',
        clientAuth: 'client_secret_basic',
      }),
    );
    expect(request.headers.Authorization).toBe('Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW');
    expect(formOf(request)).toEqual([['grant_type', 'client_credentials']]);
  });

  test('client_secret_basic form-encodes id and secret before base64 (space, colon, %, non-ASCII)', () => {
    const request = initial(
      clientCredentials({
        tokenUrl,
        clientId: 'my client:1',
        clientSecret: 'p%ss wörd:€',
        clientAuth: 'client_secret_basic',
      }),
    );
    const header = request.headers.Authorization ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString('latin1')).toBe(
      'my+client%3A1:p%25ss+w%C3%B6rd%3A%E2%82%AC',
    );
  });

  test('client_secret_post sends id and secret as given (the form encoding is the transport)', () => {
    const request = initial(
      clientCredentials({ tokenUrl, clientId: 'my client:1', clientSecret: 'p%ss wörd' }),
    );
    expect(request.headers.Authorization).toBeUndefined();
    expect(request.body).toContain('client_id=my+client%3A1');
    expect(formOf(request)).toContainEqual(['client_secret', 'p%ss wörd']);
  });

  test.each([
    { scope: 'api:recs api:search', sent: 'api:recs api:search' },
    { scope: ['api:recs', 'api:search'], sent: 'api:recs api:search' },
    { scope: 'idp_api', sent: 'idp_api' },
    { scope: [], sent: null },
    { scope: '   ', sent: null },
    { scope: undefined, sent: null },
  ])('scope $scope is sent as $sent', ({ scope, sent }) => {
    const body = new URLSearchParams(initial(clientCredentials({ ...base, scope })).body);
    expect(body.get('scope')).toBe(sent);
  });

  test('audience, and resource indicators as repeated parameters (RFC 8707)', () => {
    const one = new URLSearchParams(
      initial(
        clientCredentials({ ...base, audience: 'https://api.example.com', resource: 'urn:a' }),
      ).body,
    );
    expect(one.get('audience')).toBe('https://api.example.com');
    expect(one.getAll('resource')).toEqual(['urn:a']);
    const many = new URLSearchParams(
      initial(clientCredentials({ ...base, resource: ['https://a.example', 'https://b.example'] }))
        .body,
    );
    expect(many.getAll('resource')).toEqual(['https://a.example', 'https://b.example']);
    expect(many.has('audience')).toBe(false);
  });

  test('JSON body (seed 004) with every parameter, arrays as arrays', () => {
    const request = initial(
      clientCredentials({
        ...base,
        bodyFormat: 'json',
        scope: ['a', 'b'],
        resource: ['urn:x', 'urn:y'],
        params: { tenant: 't1' },
      }),
    );
    expect(request.headers.Accept).toBe('application/json');
    expect(jsonOf(request)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1',
      scope: 'a b',
      resource: ['urn:x', 'urn:y'],
      tenant: 't1',
    });
  });

  test('params reach the body; an option left out does not erase the same param', () => {
    const body = new URLSearchParams(
      initial(clientCredentials({ ...base, params: { audience: 'x', scope: 'p', extra: '1' } }))
        .body,
    );
    expect(body.get('audience')).toBe('x');
    expect(body.get('scope')).toBe('p');
    expect(body.get('extra')).toBe('1');
  });

  test('params cannot override the grant or the client authentication', () => {
    const body = new URLSearchParams(
      initial(
        clientCredentials({
          ...base,
          scope: 'from-option',
          params: { grant_type: 'password', client_id: 'other', scope: 'from-params' },
        }),
      ).body,
    );
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.get('client_id')).toBe('client-1');
    expect(body.getAll('scope')).toEqual(['from-option']);
  });

  test.each(['content-type', 'Content-Type', 'CONTENT-TYPE'])(
    'a %s header replaces the default Content-Type (Priava charset)',
    (name) => {
      const priava = `${formType};charset=utf-8`;
      const request = initial(
        clientCredentials({ ...base, headers: { [name]: priava, TenantRegion: 'EU' } }),
      );
      const contentTypeKeys = Object.keys(request.headers).filter(
        (key) => key.toLowerCase() === 'content-type',
      );
      expect(contentTypeKeys).toEqual([name]);
      expect(new Headers(request.headers).get('content-type')).toBe(priava);
      expect(request.headers.TenantRegion).toBe('EU');
      expect(request.headers.Accept).toBe('application/json');
    },
  );

  test('headers may replace Accept and the Basic Authorization header', () => {
    const request = initial(
      clientCredentials({
        ...base,
        clientAuth: 'client_secret_basic',
        headers: { accept: '*/*', authorization: 'Custom xyz' },
      }),
    );
    expect(request.headers).toEqual({
      'Content-Type': formType,
      accept: '*/*',
      authorization: 'Custom xyz',
    });
  });

  test('the request is rebuilt identically every time (reusable)', () => {
    const flow = clientCredentials({ ...base, scope: 's' });
    expect(initial(flow)).toEqual(initial(flow));
  });

  test.each([
    {
      name: 'options missing',
      options: undefined,
      message: /^clientCredentials: options must be an object$/,
    },
    {
      name: 'clientId missing',
      options: { tokenUrl, clientSecret: 's' },
      message: /clientId must be a non-empty string/,
    },
    {
      name: 'clientId blank',
      options: { ...base, clientId: ' ' },
      message: /clientId must be a non-empty string/,
    },
    {
      name: 'tokenUrl missing',
      options: { clientId: 'c', clientSecret: 's' },
      message: /tokenUrl must be a URL string/,
    },
    {
      name: 'tokenUrl unparsable',
      options: { ...base, tokenUrl: 'auth.example.com/token' },
      message: /tokenUrl is not a valid URL/,
    },
    {
      name: 'tokenUrl not http(s)',
      options: { ...base, tokenUrl: 'ftp://auth.example.com/token' },
      message: /tokenUrl must be an http\(s\) URL/,
    },
    {
      name: 'tokenUrl with credentials',
      options: { ...base, tokenUrl: 'https://u:pw@auth.example.com/' },
      message: /tokenUrl must not contain credentials/,
    },
    {
      name: 'clientSecret missing',
      options: { tokenUrl, clientId: 'c' },
      message: /clientSecret must be a non-empty string/,
    },
    {
      name: 'clientSecret empty',
      options: { ...base, clientSecret: '' },
      message: /clientSecret must be a non-empty string/,
    },
    {
      name: 'bodyFormat unknown',
      options: { ...base, bodyFormat: 'xml' },
      message: /bodyFormat must be 'form' or 'json'/,
    },
    {
      name: 'clientAuth unknown',
      options: { ...base, clientAuth: 'private_key_jwt' },
      message: /clientAuth must be 'client_secret_post', 'client_secret_basic' or 'none'/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => clientCredentials(options as never)).toThrow(TypeError);
    expect(() => clientCredentials(options as never)).toThrow(message);
  });

  test('a URL object is accepted and normalised', () => {
    expect(
      clientCredentials({ ...base, tokenUrl: new URL('HTTPS://Auth.Example.com/connect/token') })
        .tokenUrl,
    ).toBe(tokenUrl);
  });
});

describe('authorizationCode', () => {
  const base = {
    tokenUrl: 'https://api.priava.com/rest/oauth/token',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    code: 'code-1',
    redirectUri: 'https://My.App.com/oauth2callback?from=priava',
  };

  test('exchanges the code once, with redirect_uri exactly as given and the PKCE verifier', () => {
    const flow = authorizationCode({ ...base, codeVerifier: 'v'.repeat(43), scope: 'read' });
    expect(flow.kind).toBe('authorization_code');
    expect(flow.initialGrant?.reusable).toBe(false);
    expect(flow.initialRefreshToken).toBeUndefined();
    expect(formOf(initial(flow))).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['code', 'code-1'],
      ['code_verifier', 'v'.repeat(43)],
      ['grant_type', 'authorization_code'],
      ['redirect_uri', 'https://My.App.com/oauth2callback?from=priava'],
    ]);
  });

  test('a URL redirectUri is sent as its href; no verifier means no code_verifier', () => {
    const body = new URLSearchParams(
      initial(authorizationCode({ ...base, redirectUri: new URL('https://My.App.com/cb') })).body,
    );
    expect(body.get('redirect_uri')).toBe('https://my.app.com/cb');
    expect(body.has('code_verifier')).toBe(false);
  });

  test('refreshes with the refresh token, the scope, and no code', () => {
    const flow = authorizationCode({
      ...base,
      codeVerifier: 'v'.repeat(43),
      scope: ['read', 'write'],
    });
    expect(formOf(refresh(flow, 'rt-1'))).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
      ['scope', 'read write'],
    ]);
  });

  test('Priava: headers and redirect_uri through params go on the exchange and on every refresh', () => {
    const redirectUri = 'https://my.app.com/oauth2callback';
    const flow = authorizationCode({
      ...base,
      redirectUri,
      headers: { 'Content-Type': `${formType};charset=utf-8`, TenantRegion: 'APAC' },
      params: { redirect_uri: redirectUri },
    });
    for (const request of [initial(flow), refresh(flow, 'rt-1'), refresh(flow, 'rt-2')]) {
      expect(request.headers).toEqual({
        'Content-Type': `${formType};charset=utf-8`,
        Accept: 'application/json',
        TenantRegion: 'APAC',
      });
      expect(new URLSearchParams(request.body).getAll('redirect_uri')).toEqual([redirectUri]);
    }
    expect(new URLSearchParams(refresh(flow, 'rt-2').body).get('refresh_token')).toBe('rt-2');
  });

  test('a public client (no secret) sends only client_id', () => {
    const { clientSecret: _, ...publicClient } = base;
    const flow = authorizationCode(publicClient);
    expect(new URLSearchParams(initial(flow).body).has('client_secret')).toBe(false);
    expect(new URLSearchParams(refresh(flow, 'rt').body).get('client_id')).toBe('client-1');
    expect(initial(flow).headers.Authorization).toBeUndefined();
  });

  test.each([
    {
      name: 'code missing',
      options: { ...base, code: undefined },
      message: /^authorizationCode: code must be a non-empty string$/,
    },
    {
      name: 'redirectUri invalid',
      options: { ...base, redirectUri: '/callback' },
      message: /^authorizationCode: redirectUri is not a valid URL$/,
    },
    {
      name: 'codeVerifier empty',
      options: { ...base, codeVerifier: '' },
      message: /^authorizationCode: codeVerifier must be a non-empty string$/,
    },
    {
      name: 'basic without a secret',
      options: { ...base, clientSecret: undefined, clientAuth: 'client_secret_basic' },
      message: /^authorizationCode: clientSecret must be/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => authorizationCode(options as never)).toThrow(TypeError);
    expect(() => authorizationCode(options as never)).toThrow(message);
  });
});

describe('refreshToken', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'rt-0' };

  test('starts from the stored refresh token and has no initial grant', () => {
    const flow = refreshToken({ ...base, scope: 'offline_access', bodyFormat: 'json' });
    expect(flow.kind).toBe('refresh_token');
    expect(flow.initialRefreshToken?.()).toBe('rt-0');
    expect(flow.initialGrant).toBeUndefined();
    expect(jsonOf(refresh(flow, 'rt-5'))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-5',
      scope: 'offline_access',
      client_id: 'client-1',
      client_secret: 'secret-1',
    });
  });

  test('subject, not the refresh token, distinguishes the cache entry when given', () => {
    const a = refreshToken({ ...base, refreshToken: 'rt-a', subject: 'user-1' });
    const b = refreshToken({ ...base, refreshToken: 'rt-b', subject: 'user-1' });
    expect(a.cacheKeyMaterial()).toBe(b.cacheKeyMaterial());
    expect(refreshToken({ ...base, refreshToken: 'rt-a' }).cacheKeyMaterial()).not.toBe(
      refreshToken({ ...base, refreshToken: 'rt-b' }).cacheKeyMaterial(),
    );
  });

  test('refreshToken missing: TypeError naming the option', () => {
    expect(() => refreshToken({ ...base, refreshToken: undefined } as never)).toThrow(
      /^refreshToken: refreshToken must be a non-empty string$/,
    );
  });
});

describe('tokenRequest', () => {
  const url = 'https://authentication-service.staging.pay.papayaglobal.work/token';
  const base = {
    url,
    body: { api_key: 'k', client_secret: 's' },
    response: { accessToken: 'token' },
  };

  test('defaults: POST with a JSON body and JSON headers', () => {
    const flow = tokenRequest(base);
    expect(flow.kind).toBe('token_request');
    expect(flow.initialGrant?.reusable).toBe(true);
    expect(flow.refreshGrant).toBeUndefined();
    const request = initial(flow);
    expect(request).toMatchObject({ url, method: 'POST' });
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(jsonOf(request)).toEqual({ api_key: 'k', client_secret: 's' });
  });

  test('method is upper-cased; form bodies and headers are honoured', () => {
    const request = initial(
      tokenRequest({
        ...base,
        method: 'put',
        bodyFormat: 'form',
        headers: { 'X-Api-Version': '2' },
      }),
    );
    expect(request.method).toBe('PUT');
    expect(request.headers['X-Api-Version']).toBe('2');
    expect(formOf(request)).toEqual([
      ['api_key', 'k'],
      ['client_secret', 's'],
    ]);
  });

  test('GET sends the parameters in the query string, without a body', () => {
    const request = initial(tokenRequest({ ...base, url: `${url}?v=1`, method: 'GET' }));
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ Accept: 'application/json' });
    expect(new URL(request.url).search).toBe('?v=1&api_key=k&client_secret=s');
  });

  test('a body function is called for every request', () => {
    let calls = 0;
    const flow = tokenRequest({
      ...base,
      body: () => {
        calls++;
        return { api_key: 'k', nonce: String(calls) };
      },
    });
    expect(jsonOf(initial(flow))).toEqual({ api_key: 'k', nonce: '1' });
    expect(jsonOf(initial(flow))).toEqual({ api_key: 'k', nonce: '2' });
    // A body function may carry other credentials each time: its flow shares no cache entry.
    expect(flow.cacheKeyMaterial()).toBe(flow.cacheKeyMaterial());
    const twin = tokenRequest({ ...base, body: () => ({ api_key: 'k' }) });
    expect(twin.cacheKeyMaterial()).not.toBe(flow.cacheKeyMaterial());
  });

  test('undefined body values are left out', () => {
    expect(jsonOf(initial(tokenRequest({ ...base, body: { a: 'x', b: undefined } })))).toEqual({
      a: 'x',
    });
  });

  test.each([
    { successStatus: undefined, yes: [200, 201, 204, 299], no: [199, 300, 302, 401, 500] },
    { successStatus: 201, yes: [201], no: [200, 202, 204] },
    { successStatus: [200, 201], yes: [200, 201], no: [202, 204] },
  ])('successStatus $successStatus', ({ successStatus, yes, no }) => {
    const flow = tokenRequest({ ...base, successStatus });
    for (const status of yes) expect(flow.isSuccess(status)).toBe(true);
    for (const status of no) expect(flow.isSuccess(status)).toBe(false);
  });

  test('a field map reads top-level names and dotted paths', () => {
    const flow = tokenRequest({
      ...base,
      response: {
        accessToken: 'data.auth.token',
        tokenType: 'data.auth.type',
        expiresIn: 'data.ttl',
        expiresAt: 'valid_until',
        refreshToken: 'data.auth.refresh',
        scope: 'data.scopes',
      },
    });
    const body = {
      valid_until: '2024-07-11T07:48Z',
      data: { auth: { token: 't', type: 'bearer', refresh: 'r' }, ttl: '60', scopes: ['a', 'b'] },
    };
    expect(flow.parse(response(body, { status: 201 }))).toEqual({
      accessToken: 't',
      tokenType: 'bearer',
      expiresIn: '60',
      expiresAt: '2024-07-11T07:48Z',
      refreshToken: 'r',
      scope: ['a', 'b'],
    });
  });

  test('a path through a missing or non-object node reads undefined', () => {
    const flow = tokenRequest({
      ...base,
      response: { accessToken: 'data.token.value', expiresAt: 'x.y' },
    });
    expect(flow.parse(response({ data: { token: 'flat' }, x: null }))).toMatchObject({
      accessToken: undefined,
      expiresAt: undefined,
    });
  });

  test('a parse function gets the JSON body and the response', () => {
    const flow = tokenRequest({
      ...base,
      response: (json, res) => ({
        accessToken: json.jwt,
        expiresIn: res.headers.get('x-expires-in'),
      }),
    });
    expect(
      flow.parse(response({ jwt: 'j' }, { status: 201, headers: { 'x-expires-in': '90' } })),
    ).toEqual({ accessToken: 'j', expiresIn: '90' });
  });

  test('a non-JSON answer is a TokenResponseError naming its content type', () => {
    const flow = tokenRequest(base);
    const parse = () =>
      flow.parse(response(undefined, { status: 201, headers: { 'content-type': 'text/html' } }));
    expect(parse).toThrow(TokenResponseError);
    expect(parse).toThrow('Token endpoint answer is not a JSON object (content-type: text/html)');
  });

  test('cacheKey replaces the default key material; bodies distinguish it otherwise', () => {
    expect(tokenRequest({ ...base, cacheKey: 'tenant-1' }).cacheKeyMaterial()).toBe('tenant-1');
    expect(tokenRequest(base).cacheKeyMaterial()).not.toBe(
      tokenRequest({ ...base, body: { api_key: 'other', client_secret: 's' } }).cacheKeyMaterial(),
    );
    expect(tokenRequest(base).cacheKeyMaterial()).not.toBe(
      tokenRequest({ ...base, headers: { 'X-Tenant': 'b' } }).cacheKeyMaterial(),
    );
  });

  test('client credentials: headers and params distinguish the cache entry too (tenants)', () => {
    const eu = clientCredentials({ ...ccBase(), headers: { TenantRegion: 'EU' } });
    const us = clientCredentials({ ...ccBase(), headers: { TenantRegion: 'US' } });
    expect(eu.cacheKeyMaterial()).not.toBe(us.cacheKeyMaterial());
    expect(eu.cacheKeyMaterial()).toBe(
      clientCredentials({ ...ccBase(), headers: { TenantRegion: 'EU' } }).cacheKeyMaterial(),
    );
  });

  test('a flow shows no secret when logged or serialised', () => {
    const flows = [
      clientCredentials({ ...ccBase(), clientSecret: 'cc-secret-value' }),
      refreshToken({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'c',
        clientSecret: 'rt-secret-value',
        refreshToken: 'rt-value-123',
      }),
      tokenRequest({ ...base, body: { api_key: 'k', client_secret: 'tr-secret-value' } }),
    ];
    for (const flow of flows) {
      const shown = `${inspect(flow, { depth: 5 })} ${JSON.stringify(flow)}`;
      for (const secret of [
        'cc-secret-value',
        'rt-secret-value',
        'rt-value-123',
        'tr-secret-value',
      ]) {
        expect(shown).not.toContain(secret);
      }
    }
  });

  test.each([
    {
      name: 'options missing',
      options: null,
      message: /^tokenRequest: options must be an object$/,
    },
    {
      name: 'url missing',
      options: { ...base, url: undefined },
      message: /^tokenRequest: url must be a URL string$/,
    },
    {
      name: 'url relative',
      options: { ...base, url: '/token' },
      message: /^tokenRequest: url is not a valid URL$/,
    },
    {
      name: 'method invalid',
      options: { ...base, method: 'PO ST' },
      message: /^tokenRequest: method must be an HTTP method name$/,
    },
    {
      name: 'bodyFormat invalid',
      options: { ...base, bodyFormat: 'yaml' },
      message: /^tokenRequest: bodyFormat must be 'form' or 'json'$/,
    },
    {
      name: 'body missing',
      options: { ...base, body: undefined },
      message: /^tokenRequest: body must be an object or a function returning one$/,
    },
    { name: 'body null', options: { ...base, body: null }, message: /^tokenRequest: body must be/ },
    {
      name: 'successStatus 404',
      options: { ...base, successStatus: 404 },
      message: /^tokenRequest: successStatus must be 2xx status codes$/,
    },
    {
      name: 'successStatus fractional',
      options: { ...base, successStatus: [200, 201.5] },
      message: /^tokenRequest: successStatus must be 2xx/,
    },
    {
      name: 'response missing',
      options: { ...base, response: undefined },
      message:
        /^tokenRequest: response must be a field map with an accessToken path, or a function$/,
    },
    {
      name: 'response without accessToken',
      options: { ...base, response: { expiresAt: 'valid_until' } },
      message: /^tokenRequest: response must be a field map/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => tokenRequest(options as never)).toThrow(TypeError);
    expect(() => tokenRequest(options as never)).toThrow(message);
  });
});

describe('parseOAuthResponse', () => {
  test('maps the RFC 6749 §5.1 fields', () => {
    expect(
      parseOAuthResponse(
        response({
          access_token: 'a',
          token_type: 'BEARER',
          expires_in: 21600,
          expires_at: 1_720_684_080,
          refresh_token: 'r',
          refresh_expires_in: 86400,
          scope: 'x y',
        }),
      ),
    ).toEqual({
      accessToken: 'a',
      tokenType: 'BEARER',
      expiresIn: 21600,
      expiresAt: 1_720_684_080,
      refreshToken: 'r',
      refreshExpiresIn: 86400,
      scope: 'x y',
    });
  });

  test('reads refresh_token_expires_in when refresh_expires_in is absent', () => {
    expect(
      parseOAuthResponse(response({ access_token: 'a', refresh_token_expires_in: 60 })),
    ).toMatchObject({ refreshExpiresIn: 60 });
  });

  test('a 200 carrying {error} is a TokenResponseError with the error fields', () => {
    const parse = () =>
      parseOAuthResponse(
        response({
          error: 'invalid_request',
          error_description: 'Missing grant_type',
          error_uri: 'https://docs.example.com/e',
        }),
      );
    expect(parse).toThrow(TokenResponseError);
    expect(parse).toThrow('Token endpoint answered 200 with an error (invalid_request)');
    try {
      parse();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'ERR_TOKEN_RESPONSE',
        status: 200,
        error: 'invalid_request',
        errorDescription: 'Missing grant_type',
        errorUri: 'https://docs.example.com/e',
      });
    }
  });

  test.each([{ contentType: 'text/html; charset=utf-8' }, { contentType: 'text/plain' }])(
    'a body that is not JSON ($contentType) is a TokenResponseError',
    ({ contentType }) => {
      expect(() =>
        parseOAuthResponse(response(undefined, { headers: { 'content-type': contentType } })),
      ).toThrow(`Token endpoint answer is not a JSON object (content-type: ${contentType})`);
    },
  );

  test('no content type at all is named as none', () => {
    expect(() => parseOAuthResponse(response(undefined))).toThrow('(content-type: none)');
  });
});

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
