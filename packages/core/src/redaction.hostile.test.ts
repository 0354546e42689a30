import { afterEach, describe, expect, test, vi } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import { findLeaks } from './test-support/leaks.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';
const clientId = 'client-HOST';
/** Characters every encoding treats differently: space, + / = % & " \ and non-ASCII. */
const clientSecret = 'cs-HOST 7f+/=%&"\\Ω-e2';
const apiKey = 'ak-HOST-5c4b3a';
const headerKey = 'xk-HOST+/=9d8e';
const startRefreshToken = 'rt-HOST-start-1a2b';
const code = 'code-HOST-3c4d';
const codeVerifier = `cv-HOST-${'v'.repeat(40)}`;
const answerAccessToken = 'at-HOST-answer-6f7a';
const answerRefreshToken = 'rt-HOST-answer-8b9c';

const form = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);
const basicBlob = btoa(`${form(clientId)}:${form(clientSecret)}`);
const secrets = [
  clientSecret,
  apiKey,
  headerKey,
  startRefreshToken,
  code,
  codeVerifier,
  answerAccessToken,
  answerRefreshToken,
  basicBlob,
];

const headers = { 'X-Api-Key': headerKey };
const oauthMap = {
  accessToken: 'access_token',
  refreshToken: 'refresh_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
};
const flows: Record<string, () => Flow> = {
  'client credentials, form': () =>
    clientCredentials({ tokenUrl, clientId, clientSecret, headers }),
  'client credentials, Basic': () =>
    clientCredentials({
      tokenUrl,
      clientId,
      clientSecret,
      headers,
      clientAuth: 'client_secret_basic',
    }),
  'client credentials, JSON': () =>
    clientCredentials({ tokenUrl, clientId, clientSecret, headers, bodyFormat: 'json' }),
  'refresh token': () =>
    refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: startRefreshToken, headers }),
  'authorization code + PKCE': () =>
    authorizationCode({
      ...{ tokenUrl, clientId, clientSecret, code, codeVerifier, headers },
      redirectUri: 'https://app.example/cb',
    }),
  'tokenRequest GET, credentials in the query string': () =>
    tokenRequest({
      url: tokenUrl,
      method: 'GET',
      headers,
      body: { api_key: apiKey, client_secret: clientSecret },
      response: oauthMap,
    }),
  'tokenRequest JSON body { api_key, client_secret }': () =>
    tokenRequest({
      url: tokenUrl,
      headers,
      body: { api_key: apiKey, client_secret: clientSecret },
      response: oauthMap,
    }),
};

/** The request as the server received it, and every value it decoded from it. */
interface Received {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Query, body (form or JSON) and header values, Basic credentials decoded. */
  readonly values: string[];
}

function received(input: RequestInfo | URL, init: RequestInit | undefined): Received {
  const url = String(input);
  const headers = Object.fromEntries(new Headers(init?.headers));
  const body = typeof init?.body === 'string' ? init.body : '';
  const values = [...new URL(url).searchParams.values(), ...Object.values(headers)];
  values.push(
    ...(body.startsWith('{')
      ? Object.values(JSON.parse(body) as Record<string, string>)
      : [...new URLSearchParams(body).values()]),
  );
  const basic = /^Basic (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (basic)
    values.push(
      ...atob(basic)
        .split(':')
        .map((part) => decodeURIComponent(part)),
    );
  return { url, headers, body, values };
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const tokens = { access_token: answerAccessToken, refresh_token: answerRefreshToken };
const each = (r: Received, spell: (value: string) => string): string =>
  r.values.map(spell).join(' | ');

/** What a hostile or broken token endpoint answers, given what it received. */
const echoes: Record<string, (request: Received) => Response> = {
  '401 quoting the URL, body and headers as sent': (r) =>
    Response.json(
      {
        error: 'invalid_client',
        error_description: `${r.url} ${r.body} ${JSON.stringify(r.headers)}`,
      },
      { status: 401 },
    ),
  '400 quoting every value it read, plain': (r) =>
    Response.json(
      { error: 'invalid_request', error_description: each(r, String) },
      { status: 400 },
    ),
  '400 quoting every value percent-encoded (%20)': (r) =>
    Response.json({ error_description: each(r, encodeURIComponent) }, { status: 400 }),
  '400 quoting every value form-encoded (+)': (r) =>
    Response.json(
      { error_uri: `https://x/e?${new URLSearchParams(r.values.map((v) => ['v', v]))}` },
      { status: 400 },
    ),
  '400 quoting every value JSON-escaped, as text': (r) =>
    new Response(
      `{"error":"invalid_request","error_description":${JSON.stringify(JSON.stringify(r.values))}}`,
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
      },
    ),
  '400 quoting every value base64-encoded at three alignments': (r) =>
    Response.json(
      {
        error_description: [0, 1, 2]
          .map((k) => base64(`${'.'.repeat(k)}${r.values.join('|')}`))
          .join(' '),
      },
      { status: 400 },
    ),
  '200 whose expires_in equals a secret it received': (r) =>
    Response.json({
      access_token: answerAccessToken,
      expires_in: r.values.find((value) => secrets.includes(value)),
    }),
  '200 that is no JSON, with a Content-Type quoting what it read': (r) =>
    new Response('<html>login</html>', {
      headers: { 'content-type': `text/html; v=${each(r, encodeURIComponent)}` },
    }),
  '200 with tokens and a token_type equal to the access token': () =>
    Response.json({ ...tokens, token_type: answerAccessToken }),
  '200 with tokens and an expires_in equal to the refresh token': () =>
    Response.json({ ...tokens, expires_in: answerRefreshToken }),
  '200 with tokens, DPoP, and an error quoting them': () =>
    Response.json({ ...tokens, token_type: 'DPoP', error_description: JSON.stringify(tokens) }),
  'a network error quoting the request, with nested causes': (r) => {
    const socket = new Error(`socket closed after ${each(r, String)}`, {
      cause: { sent: r.headers, url: r.url, values: r.values },
    });
    throw new TypeError(`fetch failed: ${r.url}`, {
      cause: new Error('other side closed', { cause: socket }),
    });
  },
};

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

async function failureOf(flow: Flow, answer: (request: Received) => Response) {
  const manager = createTokenManager({
    flow,
    now: manualClock().now,
    retry: false,
    fetch: async (input, init) => answer(received(input, init)),
  });
  managers.push(manager);
  return manager.getToken().then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => error,
  );
}

describe.each(Object.entries(flows))('%s', (_, flow) => {
  test.each(Object.entries(echoes))('%s: no secret in any rendering', async (_, answer) => {
    const error = await failureOf(flow(), answer);
    expect(error instanceof TokenwiseError, String(error)).toBe(true);
    expect(findLeaks(error, secrets)).toEqual([]);
  });
});

describe('a tokenRequest response function', () => {
  test('that throws quoting the answer: neither the tokens nor the request secrets leak', async () => {
    const flow = tokenRequest({
      url: tokenUrl,
      headers,
      body: { api_key: apiKey, client_secret: clientSecret },
      response: (body) => {
        throw new Error(`cannot read ${JSON.stringify(body)} (token ${String(body.jwt)})`);
      },
    });
    const error = await failureOf(flow, () => Response.json({ jwt: answerAccessToken, n: 1 }));
    expect(findLeaks(error, secrets)).toEqual([]);
  });
});

test('a cut server text never keeps the start of a secret', async () => {
  const flow = clientCredentials({ tokenUrl, clientId, clientSecret: 'cs-CUT-abcdefghijklmnop' });
  const error = await failureOf(flow, () =>
    Response.json(
      { error_description: `${'x'.repeat(492)}cs-CUT-abcdefghijklmnop` },
      { status: 401 },
    ),
  );
  expect(findLeaks(error, ['cs-CUT-a'])).toEqual([]);
  expect(error).toMatchObject({ errorDescription: `${'x'.repeat(492)}[redacted]…` });
});

describe('an onTokenChange handler that fails quoting the tokens', () => {
  const rotated = (n: number) => ({
    access_token: `at-HOST-rotated-${n}-4e5f`,
    refresh_token: `rt-HOST-rotated-${n}-6a7b`,
    id_token: `id-HOST-rotated-${n}-8c9d`,
    expires_in: 3600,
  });
  /** A database error as a driver throws it: the message, a detail field and a nested cause. */
  const uniqueViolation = (token: Token): Error =>
    Object.assign(
      new Error(
        `duplicate key value violates unique constraint "grants_refresh_token_key": Key (refresh_token)=(${token.refreshToken})`,
        { cause: new Error(`while saving ${JSON.stringify(token)}`) },
      ),
      { detail: `access_token=${token.accessToken}`, query: [token.raw] },
    );

  function manager(onTokenChange: (token: Token) => void, clock = manualClock()) {
    let n = 0;
    const onError = vi.fn();
    const tokenManager = createTokenManager({
      flow: refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: startRefreshToken }),
      now: clock.now,
      retry: false,
      fetch: async () => Response.json(rotated(++n)),
      onTokenChange,
      onError,
    });
    managers.push(tokenManager);
    return { tokens: tokenManager, onError };
  }
  const tokenSecrets = [1, 2].flatMap((n) => {
    const { access_token, refresh_token, id_token } = rotated(n);
    return [access_token, refresh_token, id_token];
  });
  const leaked = (error: unknown): string[] =>
    findLeaks(error, [...tokenSecrets, startRefreshToken]);

  test('reaches the callers with the new and the previous tokens redacted', async () => {
    const seen: Token[] = [];
    const { tokens } = manager((token) => {
      seen.push(token);
      if (seen.length === 2)
        throw uniqueViolation({ ...token, refreshToken: seen[0]?.refreshToken });
    });
    await tokens.getToken();
    const error = await tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'TokenChangeHandlerError',
      code: 'ERR_TOKEN_CHANGE_HANDLER',
    });
    expect(leaked(error)).toEqual([]);
    const cause = (error as Error).cause as Error & { detail: string };
    expect(cause.message).toBe(
      'duplicate key value violates unique constraint "grants_refresh_token_key": Key (refresh_token)=([redacted])',
    );
    expect(cause.detail).toBe('access_token=[redacted]');
  });

  test('reaches onError from a background refresh with the tokens redacted', async () => {
    const clock = manualClock();
    let calls = 0;
    const { tokens, onError } = manager((token) => {
      if (++calls === 2) throw uniqueViolation(token);
    }, clock);
    const first = await tokens.getToken();
    clock.advance(3_400_000); // stale: the cached token is served while a refresh runs
    expect(await tokens.getToken()).toBe(first);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    const [error] = onError.mock.calls[0] ?? [];
    expect(error).toMatchObject({ code: 'ERR_TOKEN_CHANGE_HANDLER' });
    expect(leaked(error)).toEqual([]);
  });
});
