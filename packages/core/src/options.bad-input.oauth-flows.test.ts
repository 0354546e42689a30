/**
 * Bad options for the OAuth flows (clientCredentials, refreshToken, authorizationCode): wrong
 * types, empty strings, URLs that are no token endpoint. Each throws at once, naming the option.
 * (flows/client-credentials.validation.test.ts and its siblings cover the common cases; these are the others.)
 */
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { refreshToken } from './flows/refresh-token.ts';
import {
  type BadOption,
  cc,
  describeBadOptions,
  loose,
  tokenUrl,
} from './test-support/bad-options.ts';

const ac = { ...cc, code: 'code-1', redirectUri: 'https://app.example/cb' };

const cases: BadOption[] = [
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
    /clientAuth must be 'client_secret_post', 'client_secret_basic', 'client_secret_jwt', 'private_key_jwt', 'none' or 'auto'$/,
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
];

describeBadOptions(cases);
