/**
 * Bad options at every entry point (flows, createTokenManager, createAuthFetch): wrong types,
 * NaN and infinities, empty strings, URLs that are no token endpoint. Each throws a TypeError or
 * RangeError at once, naming the option. (flows.test.ts, token-manager.test.ts and
 * authorizer.test.ts cover the common cases; these are the others.)
 */
import { describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { createTokenManager } from './token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';
const cc = { tokenUrl, clientId: 'c', clientSecret: 's' };
const ac = { ...cc, code: 'code-1', redirectUri: 'https://app.example/cb' };
const tr = { url: tokenUrl, body: { api_key: 'k' }, response: { accessToken: 'token' } };
const flow = () => clientCredentials(cc);
const tokens = () => createTokenManager({ flow: flow() });

/** Calls with options typed loosely on purpose: these are the inputs the types forbid. */
const loose =
  <T>(fn: (options: T) => unknown, options: unknown) =>
  () =>
    fn(options as T);

type Case = readonly [
  name: string,
  call: () => unknown,
  error: typeof TypeError | typeof RangeError,
  message: RegExp,
];

const cases: Case[] = [
  // clientCredentials (and the client options every OAuth flow shares).
  [
    'clientCredentials(null)',
    loose(clientCredentials, null),
    TypeError,
    /^clientCredentials: options must be an object$/,
  ],
  [
    'clientCredentials("https://…")',
    loose(clientCredentials, tokenUrl),
    TypeError,
    /^clientCredentials: options must be an object$/,
  ],
  [
    'tokenUrl ""',
    loose(clientCredentials, { ...cc, tokenUrl: '' }),
    TypeError,
    /^clientCredentials: tokenUrl is not a valid URL$/,
  ],
  [
    'tokenUrl 42',
    loose(clientCredentials, { ...cc, tokenUrl: 42 }),
    TypeError,
    /^clientCredentials: tokenUrl must be a URL string$/,
  ],
  [
    'tokenUrl "https://"',
    loose(clientCredentials, { ...cc, tokenUrl: 'https://' }),
    TypeError,
    /tokenUrl is not a valid URL$/,
  ],
  [
    'tokenUrl relative',
    loose(clientCredentials, { ...cc, tokenUrl: '/connect/token' }),
    TypeError,
    /tokenUrl is not a valid URL$/,
  ],
  [
    'tokenUrl "javascript:…"',
    loose(clientCredentials, { ...cc, tokenUrl: 'javascript:alert(1)' }),
    TypeError,
    /tokenUrl must be an http\(s\) URL$/,
  ],
  [
    'tokenUrl "file:///…"',
    loose(clientCredentials, { ...cc, tokenUrl: 'file:///etc/passwd' }),
    TypeError,
    /tokenUrl must be an http\(s\) URL$/,
  ],
  [
    'tokenUrl with a user name',
    loose(clientCredentials, { ...cc, tokenUrl: 'https://user@auth.example.com/token' }),
    TypeError,
    /tokenUrl must not contain credentials$/,
  ],
  [
    'clientId missing',
    loose(clientCredentials, { tokenUrl, clientSecret: 's' }),
    TypeError,
    /^clientCredentials: clientId must be a non-empty string$/,
  ],
  [
    'clientId 42',
    loose(clientCredentials, { ...cc, clientId: 42 }),
    TypeError,
    /clientId must be a non-empty string$/,
  ],
  [
    'clientId null',
    loose(clientCredentials, { ...cc, clientId: null }),
    TypeError,
    /clientId must be a non-empty string$/,
  ],
  [
    'clientSecret 42',
    loose(clientCredentials, { ...cc, clientSecret: 42 }),
    TypeError,
    /clientSecret must be a non-empty string$/,
  ],
  [
    'clientSecret "   "',
    loose(clientCredentials, { ...cc, clientSecret: '   ' }),
    TypeError,
    /clientSecret must be a non-empty string$/,
  ],
  [
    'bodyFormat "JSON"',
    loose(clientCredentials, { ...cc, bodyFormat: 'JSON' }),
    TypeError,
    /bodyFormat must be 'form' or 'json'$/,
  ],
  [
    'clientAuth "basic"',
    loose(clientCredentials, { ...cc, clientAuth: 'basic' }),
    TypeError,
    /clientAuth must be 'client_secret_post', 'client_secret_basic' or 'none'$/,
  ],
  // refreshToken.
  [
    'refreshToken 42',
    loose(refreshToken, { ...cc, refreshToken: 42 }),
    TypeError,
    /^refreshToken: refreshToken must be a non-empty string$/,
  ],
  [
    'refreshToken ""',
    loose(refreshToken, { ...cc, refreshToken: '' }),
    TypeError,
    /^refreshToken: refreshToken must be a non-empty string$/,
  ],
  [
    'refreshToken without a client id',
    loose(refreshToken, { tokenUrl, refreshToken: 'rt' }),
    TypeError,
    /^refreshToken: clientId must be a non-empty string$/,
  ],
  [
    'refreshToken with basic auth and no secret',
    loose(refreshToken, {
      tokenUrl,
      clientId: 'c',
      refreshToken: 'rt',
      clientAuth: 'client_secret_basic',
    }),
    TypeError,
    /^refreshToken: clientSecret must be a non-empty string$/,
  ],
  // authorizationCode.
  [
    'code ""',
    loose(authorizationCode, { ...ac, code: '' }),
    TypeError,
    /^authorizationCode: code must be a non-empty string$/,
  ],
  [
    'code 42',
    loose(authorizationCode, { ...ac, code: 42 }),
    TypeError,
    /^authorizationCode: code must be a non-empty string$/,
  ],
  [
    'redirectUri relative',
    loose(authorizationCode, { ...ac, redirectUri: '/cb' }),
    TypeError,
    /^authorizationCode: redirectUri is not a valid URL$/,
  ],
  [
    'redirectUri 42',
    loose(authorizationCode, { ...ac, redirectUri: 42 }),
    TypeError,
    /^authorizationCode: redirectUri must be a URL string$/,
  ],
  [
    'codeVerifier ""',
    loose(authorizationCode, { ...ac, codeVerifier: '' }),
    TypeError,
    /^authorizationCode: codeVerifier must be a non-empty string$/,
  ],
  [
    'authorizationCode without a client id',
    loose(authorizationCode, { ...ac, clientId: '' }),
    TypeError,
    /^authorizationCode: clientId must be a non-empty string$/,
  ],
  // tokenRequest.
  [
    'tokenRequest(undefined)',
    loose(tokenRequest, undefined),
    TypeError,
    /^tokenRequest: options must be an object$/,
  ],
  [
    'url missing',
    loose(tokenRequest, { ...tr, url: undefined }),
    TypeError,
    /^tokenRequest: url must be a URL string$/,
  ],
  [
    'url "ftp://…"',
    loose(tokenRequest, { ...tr, url: 'ftp://vendor.example/token' }),
    TypeError,
    /^tokenRequest: url must be an http\(s\) URL$/,
  ],
  [
    'url with credentials',
    loose(tokenRequest, { ...tr, url: 'https://k:s@vendor.example/token' }),
    TypeError,
    /^tokenRequest: url must not contain credentials$/,
  ],
  [
    'method "GET /x"',
    loose(tokenRequest, { ...tr, method: 'GET /x' }),
    TypeError,
    /^tokenRequest: method must be an HTTP method name$/,
  ],
  [
    'method ""',
    loose(tokenRequest, { ...tr, method: '' }),
    TypeError,
    /^tokenRequest: method must be an HTTP method name$/,
  ],
  [
    'body null',
    loose(tokenRequest, { ...tr, body: null }),
    TypeError,
    /^tokenRequest: body must be an object or a function returning one$/,
  ],
  [
    'body "api_key=k"',
    loose(tokenRequest, { ...tr, body: 'api_key=k' }),
    TypeError,
    /^tokenRequest: body must be an object or a function returning one$/,
  ],
  [
    'bodyFormat "xml"',
    loose(tokenRequest, { ...tr, bodyFormat: 'xml' }),
    TypeError,
    /^tokenRequest: bodyFormat must be 'form' or 'json'$/,
  ],
  [
    'successStatus 404',
    loose(tokenRequest, { ...tr, successStatus: 404 }),
    TypeError,
    /^tokenRequest: successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus 200.5',
    loose(tokenRequest, { ...tr, successStatus: 200.5 }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus NaN',
    loose(tokenRequest, { ...tr, successStatus: Number.NaN }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus [201, "200"]',
    loose(tokenRequest, { ...tr, successStatus: [201, '200'] }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'response {}',
    loose(tokenRequest, { ...tr, response: {} }),
    TypeError,
    /^tokenRequest: response must be a field map with an accessToken path, or a function$/,
  ],
  [
    'response "token"',
    loose(tokenRequest, { ...tr, response: 'token' }),
    TypeError,
    /response must be a field map with an accessToken path, or a function$/,
  ],
  [
    'response { accessToken: 42 }',
    loose(tokenRequest, { ...tr, response: { accessToken: 42 } }),
    TypeError,
    /response must be a field map with an accessToken path, or a function$/,
  ],
  // createTokenManager.
  [
    'createTokenManager()',
    loose(createTokenManager, undefined),
    TypeError,
    /^createTokenManager: options must be an object$/,
  ],
  [
    'createTokenManager("…")',
    loose(createTokenManager, 'https://auth.example.com'),
    TypeError,
    /^createTokenManager: options must be an object$/,
  ],
  [
    'flow missing',
    loose(createTokenManager, {}),
    TypeError,
    /^createTokenManager: flow must be a flow such as clientCredentials\(\{ … \}\)$/,
  ],
  [
    'flow given the flow’s options',
    loose(createTokenManager, { flow: cc }),
    TypeError,
    /flow must be a flow such as clientCredentials/,
  ],
  [
    'an http: token URL off loopback',
    loose(createTokenManager, {
      flow: clientCredentials({ ...cc, tokenUrl: 'http://auth.example.com/token' }),
    }),
    TypeError,
    /^createTokenManager: the token URL must use https: \(got http: for auth\.example\.com\); set allowInsecureHttp: true to allow it$/,
  ],
  [
    'allowInsecureHttp "yes"',
    loose(createTokenManager, {
      flow: clientCredentials({ ...cc, tokenUrl: 'http://auth.example.com/token' }),
      allowInsecureHttp: 'yes',
    }),
    TypeError,
    /allowInsecureHttp: true/,
  ],
  [
    'timeoutMs Infinity',
    loose(createTokenManager, { flow: flow(), timeoutMs: Number.POSITIVE_INFINITY }),
    RangeError,
    /^createTokenManager: timeoutMs must be a number from 1 to 300000, got Infinity$/,
  ],
  [
    'timeoutMs -1',
    loose(createTokenManager, { flow: flow(), timeoutMs: -1 }),
    RangeError,
    /timeoutMs must be a number from 1 to 300000, got -1$/,
  ],
  [
    'retry null',
    loose(createTokenManager, { flow: flow(), retry: null }),
    TypeError,
    /^createTokenManager: retry must be a number, false or an object$/,
  ],
  [
    'retry true',
    loose(createTokenManager, { flow: flow(), retry: true }),
    TypeError,
    /retry must be a number, false or an object$/,
  ],
  [
    'retry.limit NaN',
    loose(createTokenManager, { flow: flow(), retry: { limit: Number.NaN } }),
    RangeError,
    /^createTokenManager: retry\.limit must be an integer from 0 to 10, got NaN$/,
  ],
  [
    'retry.maxDelayMs Infinity',
    loose(createTokenManager, { flow: flow(), retry: { maxDelayMs: Number.POSITIVE_INFINITY } }),
    RangeError,
    /retry\.maxDelayMs must be a number from 0 to 300000, got Infinity$/,
  ],
  [
    'retry.baseDelayMs "250"',
    loose(createTokenManager, { flow: flow(), retry: { baseDelayMs: '250' } }),
    TypeError,
    /retry\.baseDelayMs must be a number, got string$/,
  ],
  [
    'leewayMs NaN',
    loose(createTokenManager, { flow: flow(), leewayMs: Number.NaN }),
    RangeError,
    /leewayMs must be a number from 0 to 3600000, got NaN$/,
  ],
  [
    'refreshAheadMs -Infinity',
    loose(createTokenManager, { flow: flow(), refreshAheadMs: Number.NEGATIVE_INFINITY }),
    RangeError,
    /refreshAheadMs must be a number from 0 to 86400000, got -Infinity$/,
  ],
  [
    'defaultLifetimeMs NaN',
    loose(createTokenManager, { flow: flow(), defaultLifetimeMs: Number.NaN }),
    RangeError,
    /defaultLifetimeMs must be a number from 1 to \d+, got NaN$/,
  ],
  [
    'defaultLifetimeMs -1',
    loose(createTokenManager, { flow: flow(), defaultLifetimeMs: -1 }),
    RangeError,
    /defaultLifetimeMs must be a number from 1 to \d+, got -1$/,
  ],
  [
    'failureBackoffMs "1000"',
    loose(createTokenManager, { flow: flow(), failureBackoffMs: '1000' }),
    TypeError,
    /failureBackoffMs must be a number, got string$/,
  ],
  [
    'lockTtlMs Infinity',
    loose(createTokenManager, { flow: flow(), lockTtlMs: Number.POSITIVE_INFINITY }),
    RangeError,
    /lockTtlMs must be a number from 100 to 3600000, got Infinity$/,
  ],
  [
    'store {}',
    loose(createTokenManager, { flow: flow(), store: {} }),
    TypeError,
    /^createTokenManager: store must implement get\(\)$/,
  ],
  [
    'cacheKey 42',
    loose(createTokenManager, { flow: flow(), cacheKey: 42 }),
    TypeError,
    /^createTokenManager: cacheKey must be a non-empty string$/,
  ],
  [
    'fetch "fetch"',
    loose(createTokenManager, { flow: flow(), fetch: 'fetch' }),
    TypeError,
    /^createTokenManager: fetch must be a function$/,
  ],
  // createAuthFetch.
  [
    'createAuthFetch()',
    loose(createAuthFetch, undefined),
    TypeError,
    /^auth options must be an object$/,
  ],
  [
    'tokens missing',
    loose(createAuthFetch, {}),
    TypeError,
    /^tokens must be a token manager from createTokenManager\(\)$/,
  ],
  [
    'tokens given a flow',
    loose(createAuthFetch, { tokens: flow() }),
    TypeError,
    /^tokens must be a token manager/,
  ],
  [
    'origins a string',
    () => createAuthFetch({ tokens: tokens(), origins: 'https://api.example.com' as never }),
    TypeError,
    /^origins must be an array of origins$/,
  ],
  [
    'origins ["not a url"]',
    () => createAuthFetch({ tokens: tokens(), origins: ['not a url'] }),
    TypeError,
    /^origins: not a url is not a valid origin$/,
  ],
  [
    'origins ["data:…"] (an opaque origin)',
    () => createAuthFetch({ tokens: tokens(), origins: ['data:text/plain,x'] }),
    TypeError,
    /^origins: data:text\/plain,x is not a valid origin$/,
  ],
  [
    'headers 42',
    () => createAuthFetch({ tokens: tokens(), headers: 42 as never }),
    TypeError,
    /^headers must be an object of header names and values$/,
  ],
  [
    'retryOn401 "yes"',
    () => createAuthFetch({ tokens: tokens(), retryOn401: 'yes' as never }),
    TypeError,
    /^retryOn401 must be a boolean$/,
  ],
  [
    'fetch 42',
    () => createAuthFetch({ tokens: tokens(), fetch: 42 as never }),
    TypeError,
    /^createAuthFetch: fetch must be a function$/,
  ],
];

describe('a bad option throws at once, naming the option', () => {
  test.each(cases)('%s', (_, call, error, message) => {
    expect(call).toThrow(error);
    expect(call).toThrow(message);
  });
});
