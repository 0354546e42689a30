/**
 * Answers with a success status whose body is no token answer at all: HTML, JSON that is not an
 * object, nothing, bytes, an over-size body, an error object, or a parser that throws.
 */
import { TokenResponseError } from './errors.ts';
import {
  describeMalformedAnswers,
  json,
  type MalformedAnswer,
} from './test-support/malformed-answers.ts';

const notJson = (type: string): RegExp =>
  new RegExp(
    `^Token endpoint answer is not a JSON object \\(content-type: ${type.replace(/[/+.;]/g, '\\$&')}\\)$`,
  );

const cases: MalformedAnswer[] = [
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
];

describeMalformedAnswers(cases);
