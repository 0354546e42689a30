/**
 * A token endpoint that echoes what it received (URL, body, headers, every value it decoded) in
 * every encoding, or answers tokens in the wrong fields: for every flow, no secret reaches any
 * rendering of the error the caller gets. A server text cut for length keeps no start of a secret.
 */
import { describe, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import {
  answerAccessToken,
  answerRefreshToken,
  apiKey,
  clientId,
  clientSecret,
  code,
  codeVerifier,
  headers,
  hostileEndpointFailures,
  type Received,
  secrets,
  startRefreshToken,
  tokenUrl,
} from './test-support/hostile-token-endpoint.ts';
import { findLeaks } from './test-support/leaks.ts';

const failureOf = hostileEndpointFailures();

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

describe.each(Object.entries(flows))('%s', (_, flow) => {
  test.each(Object.entries(echoes))('%s: no secret in any rendering', async (_, answer) => {
    const error = await failureOf(flow(), answer);
    expect(error instanceof TokenwiseError, String(error)).toBe(true);
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
