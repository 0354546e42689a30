import { inspect } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import {
  errorCodes,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  TokenwiseError,
} from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import {
  ManagerClosedError,
  ReauthorizationRequiredError,
  TokenChangeHandlerError,
} from './manager-errors.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

describe('hierarchy: one class per code', () => {
  const rejection = new TokenEndpointError(400, { error: 'invalid_grant' });
  const cases = [
    { error: rejection, ctor: TokenEndpointError, code: 'ERR_TOKEN_ENDPOINT' },
    {
      error: new TokenResponseError(200, 'no access token'),
      ctor: TokenResponseError,
      code: 'ERR_TOKEN_RESPONSE',
    },
    {
      error: new TokenRequestError('unreachable'),
      ctor: TokenRequestError,
      code: 'ERR_TOKEN_NETWORK',
    },
    {
      error: new TokenTimeoutError('too slow'),
      ctor: TokenTimeoutError,
      code: 'ERR_TOKEN_TIMEOUT',
    },
    {
      error: new ReauthorizationRequiredError(rejection),
      ctor: ReauthorizationRequiredError,
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    },
    { error: new ManagerClosedError(), ctor: ManagerClosedError, code: 'ERR_MANAGER_CLOSED' },
    {
      error: new TokenChangeHandlerError(new Error('db down')),
      ctor: TokenChangeHandlerError,
      code: 'ERR_TOKEN_CHANGE_HANDLER',
    },
  ] as const;
  const classes = cases.map(({ ctor }) => ctor);

  test.each(cases)('$ctor.name has $code', ({ error, ctor, code }) => {
    expect(error).toBeInstanceOf(ctor);
    expect(error).toBeInstanceOf(TokenwiseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ctor.name);
    expect(error.code).toBe(code);
    expect(String(error)).toMatch(new RegExp(`^${ctor.name}: `));
    expect(error.stack).toContain(ctor.name);
    // No other class claims it, except TokenRequestError, which covers timeouts too.
    for (const other of classes.filter((c) => c !== ctor)) {
      const covers = other === TokenRequestError && ctor === TokenTimeoutError;
      expect(error instanceof other, `${ctor.name} instanceof ${other.name}`).toBe(covers);
    }
  });

  test('every code has its class, and errorCodes lists exactly those', () => {
    expect(new Set(cases.map(({ code }) => code))).toEqual(new Set(errorCodes));
    expect(errorCodes).toHaveLength(cases.length);
  });

  test('reauthorization after invalid_grant keeps the rejection: status, fields, cause, a message that says what to do', () => {
    const error = new ReauthorizationRequiredError(rejection);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', cause: rejection });
    expect(error.message).toMatch(
      /^Token endpoint answered 400 \(invalid_grant\); .*re-authorization is required$/,
    );
    expect(new ReauthorizationRequiredError()).toMatchObject({
      status: undefined,
      error: undefined,
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

  test('keeps Retry-After', () => {
    expect(new TokenEndpointError(429, {}, 30_000).retryAfterMs).toBe(30_000);
  });
});

describe('instanceof is a brand check', () => {
  const brand = Symbol.for('@tokenwise/core:error');

  test.each([
    undefined,
    null,
    'TokenEndpointError',
    { name: 'TokenEndpointError', message: 'not an error', code: 'ERR_TOKEN_ENDPOINT' },
    Object.assign(new Error('named like ours'), { name: 'TokenEndpointError' }),
    new Error('plain'),
    new TypeError('type'),
  ])('rejects %j', (value) => {
    expect(value instanceof TokenwiseError).toBe(false);
    expect(value instanceof TokenEndpointError).toBe(false);
  });

  test('holds for errors of a second copy of the package (another module instance)', async () => {
    const second = './errors.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ second)) as typeof import('./errors.ts');
    expect(copy.TokenEndpointError).not.toBe(TokenEndpointError);
    const foreign = new copy.TokenEndpointError(401, { error: 'invalid_client' });
    expect(foreign instanceof TokenEndpointError).toBe(true);
    expect(foreign instanceof TokenwiseError).toBe(true);
    expect(foreign instanceof TokenResponseError).toBe(false);
    expect(new TokenResponseError(200, 'x') instanceof copy.TokenResponseError).toBe(true);
  });

  test('holds for an error made in another realm (the symbol registry is shared)', () => {
    const foreign: unknown = runInNewContext(
      `const e = new Error('from a vm context');
       Object.defineProperty(e, Symbol.for('@tokenwise/core:error'), { value: true });
       e.code = 'ERR_TOKEN_RESPONSE';
       e`,
    );
    expect(foreign instanceof Error).toBe(false);
    expect(brand in (foreign as object)).toBe(true);
    expect(foreign instanceof TokenResponseError).toBe(true);
    expect(foreign instanceof TokenwiseError).toBe(true);
    expect(foreign instanceof TokenEndpointError).toBe(false);
  });
});

describe('toJSON and util.inspect', () => {
  test('toJSON lists the safe fields and leaves out undefined ones', () => {
    const error = new TokenEndpointError(
      429,
      { error: 'slow_down', errorDescription: 'Too many requests' },
      2_000,
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
    const error = new TokenRequestError('unreachable', cause);
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
    const outer = new ReauthorizationRequiredError(inner);
    expect(outer.toJSON().cause).toEqual(inner.toJSON());
    expect(new TokenResponseError(200, 'x', {}, 42).toJSON().cause).toBe('42');
  });

  test('util.inspect shows the name, the safe fields, the cause and the stack', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new TokenResponseError(
      502,
      'bad answer',
      { error: 'bad_gateway', errorDescription: 'Upstream down' },
      cause,
    );
    const shown = inspect(error);
    expect(shown.startsWith('TokenResponseError {')).toBe(true);
    expect(shown).toContain('"code": "ERR_TOKEN_RESPONSE"');
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
    expect(error instanceof TokenwiseError).toBe(true);
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
