import { inspect } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import {
  ErrorCode,
  isTokenEndpointError,
  isTokenRequestError,
  isTokenResponseError,
  isTokenwiseError,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenwiseError,
} from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

describe('hierarchy', () => {
  const cases = [
    {
      error: new TokenEndpointError(400, { error: 'invalid_client' }),
      ctor: TokenEndpointError,
      name: 'TokenEndpointError',
      code: 'ERR_TOKEN_ENDPOINT',
    },
    {
      error: new TokenEndpointError(
        400,
        { error: 'invalid_grant' },
        { reauthorizationRequired: true },
      ),
      ctor: TokenEndpointError,
      name: 'TokenEndpointError',
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    },
    {
      error: new TokenResponseError(200, 'no access token'),
      ctor: TokenResponseError,
      name: 'TokenResponseError',
      code: 'ERR_TOKEN_RESPONSE',
    },
    {
      error: new TokenRequestError(ErrorCode.Network, 'unreachable'),
      ctor: TokenRequestError,
      name: 'TokenRequestError',
      code: 'ERR_TOKEN_NETWORK',
    },
    {
      error: new TokenRequestError(ErrorCode.Timeout, 'too slow'),
      ctor: TokenRequestError,
      name: 'TokenRequestError',
      code: 'ERR_TOKEN_TIMEOUT',
    },
    {
      error: new TokenwiseError(ErrorCode.Closed, 'closed'),
      ctor: TokenwiseError,
      name: 'TokenwiseError',
      code: 'ERR_MANAGER_CLOSED',
    },
  ] as const;

  test.each(cases)('$name with $code', ({ error, ctor, name, code }) => {
    expect(error).toBeInstanceOf(ctor);
    expect(error).toBeInstanceOf(TokenwiseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
    expect(error.stack).toContain(name);
  });

  test('ErrorCode lists every literal', () => {
    expect(ErrorCode).toEqual({
      TokenEndpoint: 'ERR_TOKEN_ENDPOINT',
      ReauthorizationRequired: 'ERR_REAUTHORIZATION_REQUIRED',
      TokenResponse: 'ERR_TOKEN_RESPONSE',
      Network: 'ERR_TOKEN_NETWORK',
      Timeout: 'ERR_TOKEN_TIMEOUT',
      Closed: 'ERR_MANAGER_CLOSED',
      TokenChangeHandler: 'ERR_TOKEN_CHANGE_HANDLER',
    });
  });
});

describe('TokenEndpointError', () => {
  test('carries the RFC 6749 fields and builds its message from them', () => {
    const error = new TokenEndpointError(400, {
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
      errorUri: 'https://docs.example.com/errors#invalid_client',
    });
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
      errorUri: 'https://docs.example.com/errors#invalid_client',
      retryAfterMs: undefined,
    });
    expect(error.message).toBe(
      'Token endpoint answered 400 (invalid_client: Invalid client credentials)',
    );
  });

  test.each([
    { fields: {}, message: 'Token endpoint answered 503' },
    {
      fields: { error: 'Invalid request' },
      message: 'Token endpoint answered 401 (Invalid request)',
    },
    { fields: { errorDescription: 'Nope' }, message: 'Token endpoint answered 401 (Nope)' },
  ])('message for $fields', ({ fields, message }) => {
    const status = message.includes('503') ? 503 : 401;
    expect(new TokenEndpointError(status, fields).message).toBe(message);
  });

  test('reauthorization: its own code and a message that says what to do', () => {
    const error = new TokenEndpointError(
      400,
      { error: 'invalid_grant' },
      { reauthorizationRequired: true },
    );
    expect(error.code).toBe(ErrorCode.ReauthorizationRequired);
    expect(error.message).toMatch(
      /^Token endpoint answered 400 \(invalid_grant\); .*re-authorization is required$/,
    );
  });

  test('keeps Retry-After', () => {
    expect(new TokenEndpointError(429, {}, { retryAfterMs: 30_000 }).retryAfterMs).toBe(30_000);
  });
});

describe('guards', () => {
  const endpoint = new TokenEndpointError(401, {});
  const response = new TokenResponseError(200, 'x');
  const request = new TokenRequestError(ErrorCode.Network, 'x');
  const base = new TokenwiseError(ErrorCode.Closed, 'x');

  test.each([
    { guard: isTokenwiseError, yes: [endpoint, response, request, base] },
    { guard: isTokenEndpointError, yes: [endpoint] },
    { guard: isTokenResponseError, yes: [response] },
    { guard: isTokenRequestError, yes: [request] },
  ])('$guard.name', ({ guard, yes }) => {
    for (const error of [endpoint, response, request, base]) {
      expect(guard(error)).toBe(yes.includes(error));
    }
  });

  test.each([
    undefined,
    null,
    'TokenEndpointError',
    { name: 'TokenEndpointError', message: 'not an error' },
    new Error('plain'),
    new TypeError('type'),
  ])('reject %j', (value) => {
    expect(isTokenwiseError(value)).toBe(false);
    expect(isTokenEndpointError(value)).toBe(false);
  });

  test('a plain Error named like ours passes (a duplicate copy of the package)', () => {
    const foreign = Object.assign(new Error('from another copy'), { name: 'TokenEndpointError' });
    expect(isTokenEndpointError(foreign)).toBe(true);
    expect(isTokenwiseError(foreign)).toBe(true);
    expect(isTokenResponseError(foreign)).toBe(false);
    expect(isTokenRequestError(foreign)).toBe(false);
  });

  test('an error from another realm passes', () => {
    const foreign: unknown = runInNewContext(
      'const e = new Error("from a vm context"); e.name = "TokenResponseError"; e',
    );
    expect(foreign instanceof Error).toBe(false);
    expect(isTokenResponseError(foreign)).toBe(true);
    expect(isTokenwiseError(foreign)).toBe(true);
    expect(isTokenEndpointError(foreign)).toBe(false);
  });
});

describe('toJSON and util.inspect', () => {
  test('toJSON lists the safe fields and leaves out undefined ones', () => {
    const error = new TokenEndpointError(
      429,
      { error: 'slow_down', errorDescription: 'Too many requests' },
      { retryAfterMs: 2_000 },
    );
    expect(error.toJSON()).toEqual({
      name: 'TokenEndpointError',
      code: 'ERR_TOKEN_ENDPOINT',
      message: 'Token endpoint answered 429 (slow_down: Too many requests)',
      status: 429,
      error: 'slow_down',
      errorDescription: 'Too many requests',
      retryAfterMs: 2_000,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  test('describes an Error cause by name, message and code', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { code: 'ECONNREFUSED' });
    const error = new TokenRequestError(ErrorCode.Network, 'unreachable', { cause });
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'TokenRequestError',
      code: 'ERR_TOKEN_NETWORK',
      message: 'unreachable',
      cause: { name: 'TypeError', message: 'fetch failed', code: 'ECONNREFUSED' },
    });
  });

  test('describes a tokenwise cause by its own safe view, and other causes as strings', () => {
    const inner = new TokenEndpointError(400, { error: 'invalid_grant' });
    const outer = new TokenEndpointError(400, inner, {
      reauthorizationRequired: true,
      cause: inner,
    });
    expect(outer.toJSON().cause).toEqual(inner.toJSON());
    expect(new TokenResponseError(200, 'x', { cause: 42 }).toJSON().cause).toBe('42');
  });

  test('util.inspect shows the name, the safe fields, the cause and the stack', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new TokenEndpointError(
      502,
      { error: 'bad_gateway', errorDescription: 'Upstream down' },
      { cause },
    );
    const shown = inspect(error);
    expect(shown.startsWith('TokenEndpointError {')).toBe(true);
    expect(shown).toContain('"code": "ERR_TOKEN_ENDPOINT"');
    expect(shown).toContain('"status": 502');
    expect(shown).toContain('"error": "bad_gateway"');
    expect(shown).toContain('"errorDescription": "Upstream down"');
    expect(shown).toContain('"message": "socket hang up"');
    expect(shown).toContain('"code": "ECONNRESET"');
    expect(shown).toMatch(/\n\s+at /);
  });
});

describe('no secret through the real paths', () => {
  const clientSecret = 'cs-SECRET-5f2a9c';
  const accessToken = 'at-ACCESS-7b1d4e';
  const oldRefreshToken = 'rt-REFRESH-3c8e0a';
  const newRefreshToken = 'rt-ROTATED-9d2f6b';
  const secrets = [clientSecret, accessToken, oldRefreshToken, newRefreshToken];
  const managers: TokenManager[] = [];

  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });

  const failWith = async (
    flow: Flow,
    fetch: typeof globalThis.fetch,
    timeoutMs = 5_000,
  ): Promise<unknown> => {
    const manager = createTokenManager({ flow, fetch, retry: false, timeoutMs });
    managers.push(manager);
    return manager.getToken().then(
      () => expect.unreachable('getToken should reject'),
      (error: unknown) => error,
    );
  };
  const answer =
    (status: number, body: unknown, contentType = 'application/json') =>
    async () =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': contentType },
      });

  const tokenUrl = 'https://auth.example.com/connect/token';
  const cc = () => clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret });
  const rt = () =>
    refreshToken({ tokenUrl, clientId: 'client-1', clientSecret, refreshToken: oldRefreshToken });

  const paths: {
    name: string;
    flow: () => Flow;
    fetch: typeof globalThis.fetch;
    timeoutMs?: number;
    check: (error: unknown) => void;
  }[] = [
    {
      name: 'a 401 invalid_client',
      flow: cc,
      fetch: answer(401, {
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      }),
      check: (error) => expect(error).toMatchObject({ status: 401, error: 'invalid_client' }),
    },
    {
      name: 'an HTML error page',
      flow: cc,
      fetch: answer(500, '<html><body>Bad gateway</body></html>', 'text/html'),
      check: (error) => expect(error).toMatchObject({ status: 500, error: undefined }),
    },
    {
      name: 'a rejected refresh token',
      flow: rt,
      fetch: answer(400, { error: 'invalid_grant' }),
      check: (error) => expect(error).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' }),
    },
    {
      name: 'a 200 with an invalid expires_in beside the tokens',
      flow: rt,
      fetch: answer(200, {
        access_token: accessToken,
        refresh_token: newRefreshToken,
        expires_in: 'soon',
      }),
      check: (error) => {
        expect(error).toBeInstanceOf(TokenResponseError);
        expect((error as Error).message).toMatch(/expires_in/);
      },
    },
    {
      name: 'a 200 with a token_type of the wrong type',
      flow: cc,
      fetch: answer(200, { access_token: accessToken, token_type: { scheme: accessToken } }),
      check: (error) => expect((error as Error).message).toMatch(/token_type of type object/),
    },
    {
      name: 'a 200 that is already expired',
      flow: cc,
      fetch: answer(200, { access_token: accessToken, expires_at: 1_000_000_000 }),
      check: (error) => expect((error as Error).message).toMatch(/already expired/),
    },
    {
      name: 'a response parser that throws',
      flow: () =>
        tokenRequest({
          url: tokenUrl,
          body: { client_secret: clientSecret },
          response: () => {
            throw new Error('parser broke');
          },
        }),
      fetch: answer(200, { token: accessToken }),
      check: (error) => {
        expect(error).toBeInstanceOf(TokenResponseError);
        expect((error as TokenResponseError).toJSON().cause).toMatchObject({
          message: 'parser broke',
        });
      },
    },
    {
      name: 'a refused connection',
      flow: cc,
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
            code: 'ECONNREFUSED',
          }),
        });
      },
      check: (error) =>
        expect(error).toMatchObject({
          code: 'ERR_TOKEN_NETWORK',
          message: 'Token endpoint could not be reached: fetch failed (ECONNREFUSED)',
        }),
    },
    {
      name: 'a timeout',
      flow: cc,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
      timeoutMs: 20,
      check: (error) => expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' }),
    },
  ];

  test.each(paths)('$name', async ({ flow, fetch, timeoutMs, check }) => {
    const error = await failWith(flow(), fetch, timeoutMs);
    expect(isTokenwiseError(error)).toBe(true);
    check(error);
    const views = [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
    ];
    for (const view of views) {
      for (const secret of secrets) expect(view).not.toContain(secret);
    }
  });
});
