/**
 * Malformed expiries in a token answer (`expires_in`, `refresh_expires_in`, `expires_at`, a
 * vendor's `valid_until`): not a number, negative, out of range, not a date, or already past.
 */
import { TokenResponseError } from './errors.ts';
import {
  describeMalformedAnswers,
  json,
  type MalformedAnswer,
} from './test-support/malformed-answers.ts';

const expiresIn = (value: unknown): string => json({ access_token: 'a', expires_in: value });
const invalidExpiresIn = (shown: string): RegExp =>
  new RegExp(
    `^Token endpoint answer has an invalid expiry: expires_in must be a non-negative number of seconds, got ${shown}$`,
  );
const invalidExpiresAt = (shown: string, field = 'expires_at'): RegExp =>
  new RegExp(
    `invalid expiry: ${field} must be an ISO 8601 date-time or an epoch timestamp, got ${shown}$`,
  );
const alreadyExpired = /^Token endpoint answered with a token that is already expired/;

const cases: MalformedAnswer[] = [
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
];

describeMalformedAnswers(cases);
