/**
 * Every malformed token answer we could think of, through the real path (flow parser, token
 * creation, manager): each becomes a typed error whose message names the problem.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { TokenEndpointError, TokenResponseError, type TokenwiseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { ReauthorizationRequiredError } from './manager-errors.ts';
import { manualClock } from './test-support/async.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';
const flows = {
  oauth: () => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' }),
  refresh: () => refreshToken({ tokenUrl, clientId: 'c', clientSecret: 's', refreshToken: 'rt' }),
  /** Papaya: `{ token, valid_until }` with 201. */
  vendor: () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      successStatus: 201,
      response: { accessToken: 'token', expiresAt: 'valid_until' },
    }),
  /** A parser function that turns the server's `ttl` into a number: `NaN` for garbage. */
  parser: () =>
    tokenRequest({
      url: tokenUrl,
      body: {},
      response: (json) => ({ accessToken: json.token, expiresIn: Number(json.ttl) }),
    }),
  throwingParser: () =>
    tokenRequest({
      url: tokenUrl,
      body: {},
      response: () => {
        throw new Error('vendor changed its format');
      },
    }),
} satisfies Record<string, () => Flow>;

interface Case {
  readonly name: string;
  readonly flow?: keyof typeof flows;
  readonly status?: number;
  /** A string is sent as is (JSON unless `contentType` says otherwise); bytes have no type. */
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly error:
    | typeof TokenResponseError
    | typeof TokenEndpointError
    | typeof ReauthorizationRequiredError;
  readonly code?: string;
  readonly message: RegExp;
}

const json = (value: unknown): string => JSON.stringify(value);
const expiresIn = (value: unknown): string => json({ access_token: 'a', expires_in: value });
const invalidExpiresIn = (shown: string): RegExp =>
  new RegExp(
    `^Token endpoint answer has an invalid expiry: expires_in must be a non-negative number of seconds, got ${shown}$`,
  );
const invalidExpiresAt = (shown: string, field = 'expires_at'): RegExp =>
  new RegExp(
    `invalid expiry: ${field} must be an ISO 8601 date-time or an epoch timestamp, got ${shown}$`,
  );
const noAccessToken = (got: string): RegExp =>
  new RegExp(
    `^Token endpoint answer has no access token \\(expected a non-empty string, got ${got}\\)$`,
  );
const notJson = (type: string): RegExp =>
  new RegExp(
    `^Token endpoint answer is not a JSON object \\(content-type: ${type.replace(/[/+.;]/g, '\\$&')}\\)$`,
  );
const alreadyExpired = /^Token endpoint answered with a token that is already expired/;

const cases: Case[] = [
  // expires_in: negative, huge, not a number, not a number of seconds.
  {
    name: 'expires_in -1',
    body: expiresIn(-1),
    error: TokenResponseError,
    message: invalidExpiresIn('-1'),
  },
  {
    name: 'expires_in "-1"',
    body: expiresIn('-1'),
    error: TokenResponseError,
    message: invalidExpiresIn('"-1"'),
  },
  {
    name: 'expires_in "NaN"',
    body: expiresIn('NaN'),
    error: TokenResponseError,
    message: invalidExpiresIn('"NaN"'),
  },
  {
    name: 'expires_in NaN (from a parser)',
    flow: 'parser',
    body: json({ token: 'a', ttl: 'soon' }),
    error: TokenResponseError,
    message: invalidExpiresIn('NaN'),
  },
  {
    name: 'expires_in 1e400 (Infinity once parsed)',
    body: '{"access_token":"a","expires_in":1e400}',
    error: TokenResponseError,
    message: invalidExpiresIn('Infinity'),
  },
  {
    name: 'expires_in -1e400 (-Infinity)',
    body: '{"access_token":"a","expires_in":-1e400}',
    error: TokenResponseError,
    message: invalidExpiresIn('-Infinity'),
  },
  {
    name: 'expires_in 1e300',
    body: expiresIn(1e300),
    error: TokenResponseError,
    message: invalidExpiresIn('1e\\+300'),
  },
  {
    name: 'expires_in past the largest safe millisecond',
    body: expiresIn(9_007_199_254_741),
    error: TokenResponseError,
    message: invalidExpiresIn('9007199254741'),
  },
  {
    name: 'expires_in "1e3"',
    body: expiresIn('1e3'),
    error: TokenResponseError,
    message: invalidExpiresIn('"1e3"'),
  },
  {
    name: 'expires_in "3600s"',
    body: expiresIn('3600s'),
    error: TokenResponseError,
    message: invalidExpiresIn('"3600s"'),
  },
  {
    name: 'expires_in "0x10"',
    body: expiresIn('0x10'),
    error: TokenResponseError,
    message: invalidExpiresIn('"0x10"'),
  },
  {
    name: 'expires_in true',
    body: expiresIn(true),
    error: TokenResponseError,
    message: invalidExpiresIn('true'),
  },
  {
    name: 'expires_in {}',
    body: expiresIn({}),
    error: TokenResponseError,
    message: invalidExpiresIn('a value of type object'),
  },
  {
    name: 'expires_in [3600]',
    body: expiresIn([3600]),
    error: TokenResponseError,
    message: invalidExpiresIn('an array'),
  },
  // A long value is described by its length, never echoed (it could be a token pasted in the wrong field).
  {
    name: 'expires_in a 300-character string',
    body: expiresIn('x'.repeat(300)),
    error: TokenResponseError,
    message: invalidExpiresIn('a 300-character string'),
  },
  {
    name: 'expires_in=abc in a form answer',
    body: 'access_token=a&expires_in=abc',
    contentType: 'application/x-www-form-urlencoded',
    error: TokenResponseError,
    message: invalidExpiresIn('"abc"'),
  },
  { name: 'expires_in 0', body: expiresIn(0), error: TokenResponseError, message: alreadyExpired },
  {
    name: 'refresh_expires_in "soon"',
    flow: 'refresh',
    body: json({ access_token: 'a', refresh_token: 'r2', refresh_expires_in: 'soon' }),
    error: TokenResponseError,
    message:
      /invalid expiry: refresh_expires_in must be a non-negative number of seconds, got "soon"$/,
  },
  // Absolute expiries.
  {
    name: 'expires_at "tomorrow"',
    body: json({ access_token: 'a', expires_at: 'tomorrow' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"tomorrow"'),
  },
  {
    name: 'expires_at on 30 February',
    body: json({ access_token: 'a', expires_at: '2030-02-30T00:00:00Z' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"2030-02-30T00:00:00Z"'),
  },
  {
    name: 'expires_at at 25:00',
    body: json({ access_token: 'a', expires_at: '2030-01-01T25:00Z' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"2030-01-01T25:00Z"'),
  },
  {
    name: 'expires_at with a +19:00 offset',
    body: json({ access_token: 'a', expires_at: '2030-01-01T00:00:00+19:00' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"2030-01-01T00:00:00\\+19:00"'),
  },
  {
    name: 'expires_at -5',
    body: json({ access_token: 'a', expires_at: -5 }),
    error: TokenResponseError,
    message: invalidExpiresAt('-5'),
  },
  {
    name: 'expires_at 0',
    body: json({ access_token: 'a', expires_at: 0 }),
    error: TokenResponseError,
    message: invalidExpiresAt('0'),
  },
  {
    name: 'expires_at NaN-like "NaN"',
    body: json({ access_token: 'a', expires_at: 'NaN' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"NaN"'),
  },
  {
    name: 'expires_at 1e400',
    body: '{"access_token":"a","expires_at":1e400}',
    error: TokenResponseError,
    message: invalidExpiresAt('Infinity'),
  },
  {
    name: 'expires_at in 2001',
    body: json({ access_token: 'a', expires_at: 1_000_000_000 }),
    error: TokenResponseError,
    message: alreadyExpired,
  },
  {
    name: 'valid_until in the past (Papaya, 201)',
    flow: 'vendor',
    status: 201,
    body: json({ token: 'a', valid_until: '2024-07-11T07:48Z' }),
    error: TokenResponseError,
    message: alreadyExpired,
  },
  {
    name: 'valid_until "07/11/2030"',
    flow: 'vendor',
    status: 201,
    body: json({ token: 'a', valid_until: '07/11/2030' }),
    error: TokenResponseError,
    message: invalidExpiresAt('"07/11/2030"'),
  },
  // The access token itself.
  {
    name: 'access_token ""',
    body: json({ access_token: '', expires_in: 60 }),
    error: TokenResponseError,
    message: noAccessToken('an empty string'),
  },
  {
    name: 'access_token "   "',
    body: json({ access_token: '   ' }),
    error: TokenResponseError,
    message: noAccessToken('an empty string'),
  },
  {
    name: 'access_token missing',
    body: json({ token_type: 'Bearer', expires_in: 60 }),
    error: TokenResponseError,
    message: noAccessToken('undefined'),
  },
  {
    name: 'access_token 42',
    body: json({ access_token: 42 }),
    error: TokenResponseError,
    message: noAccessToken('number'),
  },
  {
    name: 'access_token null',
    body: json({ access_token: null }),
    error: TokenResponseError,
    message: noAccessToken('null'),
  },
  {
    name: 'access_token ["a"]',
    body: json({ access_token: ['a'] }),
    error: TokenResponseError,
    message: noAccessToken('array'),
  },
  {
    name: 'access_token {}',
    body: json({ access_token: {} }),
    error: TokenResponseError,
    message: noAccessToken('object'),
  },
  {
    name: 'access_token true',
    body: json({ access_token: true }),
    error: TokenResponseError,
    message: noAccessToken('boolean'),
  },
  {
    name: 'token "" (Papaya, 201)',
    flow: 'vendor',
    status: 201,
    body: json({ token: '', valid_until: '2030-01-01T00:00Z' }),
    error: TokenResponseError,
    message: noAccessToken('an empty string'),
  },
  // Other fields of the wrong type.
  {
    name: 'token_type 42',
    body: json({ access_token: 'a', token_type: 42 }),
    error: TokenResponseError,
    message: /^Token endpoint answer has a token_type of type number, expected a string$/,
  },
  {
    name: 'token_type {}',
    body: json({ access_token: 'a', token_type: {} }),
    error: TokenResponseError,
    message: /token_type of type object, expected a string$/,
  },
  {
    name: 'token_type ["Bearer"]',
    body: json({ access_token: 'a', token_type: ['Bearer'] }),
    error: TokenResponseError,
    message: /token_type of type array, expected a string$/,
  },
  {
    name: 'token_type false',
    body: json({ access_token: 'a', token_type: false }),
    error: TokenResponseError,
    message: /token_type of type boolean, expected a string$/,
  },
  {
    name: 'refresh_token 7',
    flow: 'refresh',
    body: json({ access_token: 'a', refresh_token: 7 }),
    error: TokenResponseError,
    message: /^Token endpoint answer has a refresh_token of type number, expected a string$/,
  },
  {
    name: 'scope 5',
    body: json({ access_token: 'a', scope: 5 }),
    error: TokenResponseError,
    message: /^Token endpoint answer has a scope of type number, expected a string$/,
  },
  {
    name: 'scope [1, 2]',
    body: json({ access_token: 'a', scope: [1, 2] }),
    error: TokenResponseError,
    message: /scope of type array, expected a string$/,
  },
  {
    name: 'scope {}',
    body: json({ access_token: 'a', scope: {} }),
    error: TokenResponseError,
    message: /scope of type object, expected a string$/,
  },
  // Bodies that are no token answer at all.
  {
    name: 'an HTML login page with 200',
    body: '<!doctype html><title>Sign in</title>',
    contentType: 'text/html',
    error: TokenResponseError,
    message: notJson('text/html'),
  },
  {
    name: 'a JSON array',
    body: json([{ access_token: 'a' }]),
    error: TokenResponseError,
    message: notJson('application/json'),
  },
  {
    name: 'a JSON string',
    body: json('a'),
    error: TokenResponseError,
    message: notJson('application/json'),
  },
  {
    name: 'JSON null',
    body: 'null',
    error: TokenResponseError,
    message: notJson('application/json'),
  },
  {
    name: 'truncated JSON',
    body: '{"access_token":"a","expires_in":',
    error: TokenResponseError,
    message: notJson('application/json'),
  },
  {
    name: 'an empty body',
    body: '',
    error: TokenResponseError,
    message: notJson('application/json'),
  },
  {
    name: 'bytes without a content type',
    body: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]),
    error: TokenResponseError,
    message: notJson('none'),
  },
  {
    name: 'a 2 MB body',
    body: json({ access_token: 'a', pad: 'p'.repeat(2 * 1024 * 1024) }),
    error: TokenResponseError,
    message: /^Token endpoint answer exceeds the 1048576-byte limit$/,
  },
  {
    name: 'a 2 MB body declared in Content-Length',
    body: json({ access_token: 'a', pad: 'p'.repeat(2 * 1024 * 1024) }),
    headers: { 'content-length': String(2 * 1024 * 1024 + 33) },
    error: TokenResponseError,
    message: /exceeds the 1048576-byte limit$/,
  },
  {
    name: '{error} with 200',
    body: json({ error: 'invalid_scope', error_description: 'Unknown scope' }),
    error: TokenResponseError,
    message: /^Token endpoint answered 200 with an error \(invalid_scope\)$/,
  },
  {
    name: 'a nested {error: {code, message}} with 200',
    body: json({ error: { code: 'E42', message: 'Quota exceeded' } }),
    error: TokenResponseError,
    message: /^Token endpoint answered 200 with an error \(E42\)$/,
  },
  {
    name: 'a parser that throws',
    flow: 'throwingParser',
    body: json({ token: 'a' }),
    error: TokenResponseError,
    message: /^The response parser threw while reading the token endpoint answer$/,
  },
  // HTTP errors, whatever the body.
  {
    name: '400 invalid_request',
    status: 400,
    body: json({ error: 'invalid_request', error_description: 'Missing grant_type' }),
    error: TokenEndpointError,
    message: /^Token endpoint answered 400 \(invalid_request: Missing grant_type\)$/,
  },
  {
    name: '401 {"error":"Invalid request"} (Papaya)',
    flow: 'vendor',
    status: 401,
    body: json({ error: 'Invalid request' }),
    error: TokenEndpointError,
    message: /^Token endpoint answered 401 \(Invalid request\)$/,
  },
  {
    name: '401 invalid_client as a form body',
    status: 401,
    body: 'error=invalid_client&error_description=Bad+secret',
    contentType: 'application/x-www-form-urlencoded',
    error: TokenEndpointError,
    message: /^Token endpoint answered 401 \(invalid_client: Bad secret\)$/,
  },
  {
    name: '500 with an HTML page',
    status: 500,
    body: '<html>oops</html>',
    contentType: 'text/html',
    error: TokenEndpointError,
    message: /^Token endpoint answered 500$/,
  },
  {
    name: '503 with an empty body and a garbage Retry-After',
    status: 503,
    body: '',
    headers: { 'retry-after': 'soon' },
    error: TokenEndpointError,
    message: /^Token endpoint answered 503$/,
  },
  {
    name: 'a redirect (302)',
    status: 302,
    body: '',
    headers: { location: 'https://elsewhere.example/token' },
    error: TokenEndpointError,
    message: /^Token endpoint answered 302$/,
  },
  {
    name: '200 where only 201 is success (Papaya)',
    flow: 'vendor',
    status: 200,
    body: json({ token: 'a' }),
    error: TokenEndpointError,
    message: /^Token endpoint answered 200$/,
  },
  {
    name: 'a 2 MB error page (500)',
    status: 500,
    body: 'x'.repeat(2 * 1024 * 1024),
    contentType: 'text/html',
    error: TokenEndpointError,
    message: /^Token endpoint answered 500$/,
  },
  {
    name: 'invalid_grant on refresh',
    flow: 'refresh',
    status: 400,
    body: json({ error: 'invalid_grant' }),
    error: ReauthorizationRequiredError,
    code: 'ERR_REAUTHORIZATION_REQUIRED',
    message:
      /^Token endpoint answered 400 \(invalid_grant\); the refresh token was rejected and cleared, re-authorization is required$/,
  },
];

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

describe('a malformed token answer becomes a typed error that names the problem', () => {
  test.each(cases)('$name', async (c) => {
    const headers = new Headers(c.headers);
    if (typeof c.body === 'string')
      headers.set('content-type', c.contentType ?? 'application/json');
    const tokens = createTokenManager({
      flow: flows[c.flow ?? 'oauth'](),
      now: manualClock().now,
      retry: false,
      fetch: async () => new Response(c.body, { status: c.status ?? 200, headers }),
    });
    managers.push(tokens);
    const error = (await tokens.getToken().then(
      () => expect.unreachable('getToken should reject'),
      (e: unknown) => e,
    )) as TokenwiseError & { status?: number };
    expect(error).toBeInstanceOf(c.error);
    expect(error.code).toBe(
      c.code ?? (c.error === TokenEndpointError ? 'ERR_TOKEN_ENDPOINT' : 'ERR_TOKEN_RESPONSE'),
    );
    expect(error.status).toBe(c.status ?? 200);
    expect(error.message).toMatch(c.message);
  });
});
