import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenEndpointError, TokenResponseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { tokenRequest } from './flows/token-request.ts';
import { createTokenManager } from './token-manager.ts';
import { MemoryTokenStore } from './token-store.ts';

const tokenUrl = 'https://auth.example.com/token';
const secret = 'client-secret-9f8e7d';

/** A manager whose token endpoint answers `answer` to every request, counting them. */
function managerAnswering(answer: () => Response, flow?: Flow, now = () => 1_000_000) {
  const calls = { count: 0 };
  const tokens = createTokenManager({
    flow: flow ?? clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret: secret }),
    fetch: async () => {
      calls.count++;
      return answer();
    },
    now,
    retry: false,
  });
  return { tokens, calls };
}

describe('answers that are no usable token', () => {
  it.each([
    ['a line break', 'abc\r\ndef'],
    ['a non-Latin-1 character', 'tøken-€'],
    ['a control character', 'abc\u0007def'],
    ['DEL', 'abc\u007fdef'],
    ['a tab', 'abc\tdef'],
    ['a leading space, which a header would trim', ' abcdef'],
    ['a trailing space, which a header would trim', 'abcdef '],
  ])('rejects an access token with %s: it could not go in a header', async (_, accessToken) => {
    const { tokens } = managerAnswering(() =>
      Response.json({ access_token: accessToken, expires_in: 60 }),
    );
    await expect(tokens.getToken()).rejects.toThrow(TokenResponseError);
    await expect(tokens.getToken()).rejects.toThrow(/characters an HTTP header cannot carry/);
  });

  it('never caches an access token a header could not carry unchanged (1,000 generated tokens)', async () => {
    const unsendable = fc
      .tuple(
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.oneof(
          fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
          fc.constantFrom('\u007f', '\u0100', 'é', '€', '😀'),
        ),
        fc.string({ unit: 'binary', maxLength: 20 }),
      )
      .map(([head, bad, tail]) => `${head}${bad}${tail}`)
      .filter((token) => token.trim() !== '');
    await fc.assert(
      fc.asyncProperty(unsendable, async (accessToken) => {
        const store = new MemoryTokenStore();
        let calls = 0;
        const tokens = createTokenManager({
          flow: clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret: secret }),
          fetch: async () => {
            calls++;
            return Response.json({ access_token: accessToken, expires_in: 60 });
          },
          store,
          cacheKey: 'k',
          retry: false,
          failureBackoffMs: 0,
        });
        await expect(tokens.getToken()).rejects.toThrow(TokenResponseError);
        await expect(tokens.getToken()).rejects.toThrow(TokenResponseError);
        expect(calls).toBe(2); // asked again: nothing was cached
        expect(await store.get('k')).toBeUndefined();
        await tokens.close();
      }),
      { numRuns: 1_000 },
    );
  }, 30_000);

  it('rejects a token_type that is not an HTTP authentication scheme', async () => {
    const { tokens } = managerAnswering(() =>
      Response.json({ access_token: 'a', token_type: 'Bearer x', expires_in: 60 }),
    );
    await expect(tokens.getToken()).rejects.toThrow(
      /token_type that is not a valid HTTP authentication scheme/,
    );
  });

  it.each([
    ['undefined', () => undefined],
    ['null', () => null],
    ['a promise', async () => ({ accessToken: 'a' })],
  ])('turns a response parser returning %s into a TokenResponseError', async (_, parse) => {
    const flow = tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      response: parse as never,
    });
    const { tokens } = managerAnswering(() => Response.json({ token: 'a' }), flow);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenResponseError);
    expect((error as Error).message).toMatch(/must return the token fields synchronously/);
  });

  it('rejects a token that expires before its answer arrives, never handing it out', async () => {
    let clock = 0;
    const { tokens } = managerAnswering(
      () => {
        clock += 5_000; // a 5 s round trip for a 2 s token
        return Response.json({ access_token: 'late', expires_in: 2 });
      },
      undefined,
      () => clock,
    );
    await expect(tokens.getToken()).rejects.toThrow(/already expired/);
  });
});

describe('secrets a server echoes back', () => {
  it('redacts the client secret from error descriptions and messages', async () => {
    const { tokens } = managerAnswering(() =>
      Response.json(
        { error: 'invalid_client', error_description: `unknown secret ${secret} for client-1` },
        { status: 401 },
      ),
    );
    const error = (await tokens.getToken().catch((e: unknown) => e)) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.errorDescription).toBe('unknown secret [redacted] for client-1');
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secret);
  });

  it('redacts Basic credentials and errors inside a 200 too', async () => {
    const flow = clientCredentials({
      tokenUrl,
      clientId: 'client-1',
      clientSecret: secret,
      clientAuth: 'client_secret_basic',
    });
    const { tokens } = managerAnswering(
      () =>
        Response.json({ error: 'invalid_client', error_description: `secret ${secret} refused` }),
      flow,
    );
    const error = (await tokens.getToken().catch((e: unknown) => e)) as TokenResponseError;
    expect(error).toBeInstanceOf(TokenResponseError);
    expect(error.errorDescription).toBe('secret [redacted] refused');
  });
});

describe('the failure window', () => {
  it('is not shortened by Retry-After: 0', async () => {
    const { tokens, calls } = managerAnswering(
      () => new Response('{}', { status: 503, headers: { 'retry-after': '0' } }),
    );
    for (let i = 0; i < 20; i++) await tokens.getToken().catch(() => {});
    expect(calls.count).toBe(1);
  });
});

describe('options that would send something other than what was meant', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: secret };
  it.each([
    ['scope of the wrong type', { scope: 42 }, /scope must be a string or an array of strings/],
    ['params values that are not strings', { params: { a: 1 } }, /params\.a must be a string/],
    ['params that are a string', { params: 'x' }, /params must be an object/],
    ['headers that are a string', { headers: 'abc' }, /headers must be an object/],
    [
      'a header value with a line break',
      { headers: { 'X-A': 'a\r\nX-Evil: 1' } },
      /header 'X-A' has a value a header cannot carry unchanged/,
    ],
    ['a token URL with a fragment', { tokenUrl: `${tokenUrl}#x` }, /must not contain a #fragment/],
    ['audience of the wrong type', { audience: 7 }, /options\.audience must be a string/],
  ])('rejects %s with a TypeError naming it', (_, options, message) => {
    expect(() => clientCredentials({ ...base, ...options } as never)).toThrow(TypeError);
    expect(() => clientCredentials({ ...base, ...options } as never)).toThrow(message);
  });

  it('names a custom flow whose tokenUrl is not a URL', () => {
    const flow = Object.assign(clientCredentials(base), { tokenUrl: 'not a url' });
    expect(() => createTokenManager({ flow })).toThrow(/flow\.tokenUrl is not a valid URL/);
  });

  it('rejects a tokenRequest body function that returns values of the wrong type, naming them', async () => {
    const flow = tokenRequest({
      url: tokenUrl,
      body: () => ({ n: 1 }) as never,
      response: { accessToken: 'token' },
    });
    const { tokens } = managerAnswering(() => Response.json({ token: 'a' }), flow);
    await expect(tokens.getToken()).rejects.toThrow(/body\.n must be a string/);
  });
});

describe('after close', () => {
  it('sends nothing more', async () => {
    const { tokens, calls } = managerAnswering(() =>
      Response.json({ access_token: 'a', expires_in: 60 }),
    );
    await tokens.close();
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    expect(calls.count).toBe(0);
  });
});
