/**
 * Answers with a status that is no success for the flow: a TokenEndpointError whatever the body
 * (RFC 6749 JSON, a form, HTML, nothing, a redirect), and re-authorization for a rejected refresh.
 */
import { TokenEndpointError } from './errors.ts';
import { ReauthorizationRequiredError } from './manager-errors.ts';
import {
  describeMalformedAnswers,
  json,
  type MalformedAnswer,
} from './test-support/malformed-answers.ts';

const cases: MalformedAnswer[] = [
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

describeMalformedAnswers(cases);
