/**
 * Token answers whose fields have the wrong value or type: no usable access token, or a
 * `token_type`, `refresh_token` or `scope` that is not a string.
 */
import { TokenResponseError } from './errors.ts';
import {
  describeMalformedAnswers,
  json,
  type MalformedAnswer,
} from './test-support/malformed-answers.ts';

const noAccessToken = (got: string): RegExp =>
  new RegExp(
    `^Token endpoint answer has no access token \\(expected a non-empty string, got ${got}\\)$`,
  );

const cases: MalformedAnswer[] = [
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
];

describeMalformedAnswers(cases);
