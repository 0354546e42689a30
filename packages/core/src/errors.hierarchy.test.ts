/** The error hierarchy: one class per code, each a TokenwiseError with its `name` and `code`. */
import { describe, expect, test } from 'vitest';
import {
  errorCodes,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  TokenwiseError,
} from './errors.ts';
import {
  ManagerClosedError,
  ReauthorizationRequiredError,
  TokenChangeHandlerError,
} from './manager-errors.ts';
import { TokenRequestInputError } from './token-request-input-error.ts';

describe('hierarchy: one class per code', () => {
  const rejection = new TokenEndpointError(400, { error: 'invalid_grant' });
  const cases = [
    { error: rejection, ctor: TokenEndpointError, code: 'ERR_TOKEN_ENDPOINT' },
    {
      error: new TokenResponseError(200, 'no access token'),
      ctor: TokenResponseError,
      code: 'ERR_TOKEN_RESPONSE',
    },
    {
      error: new TokenRequestError('unreachable'),
      ctor: TokenRequestError,
      code: 'ERR_TOKEN_NETWORK',
    },
    {
      error: new TokenTimeoutError('too slow'),
      ctor: TokenTimeoutError,
      code: 'ERR_TOKEN_TIMEOUT',
    },
    {
      error: new ReauthorizationRequiredError(rejection),
      ctor: ReauthorizationRequiredError,
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    },
    { error: new ManagerClosedError(), ctor: ManagerClosedError, code: 'ERR_MANAGER_CLOSED' },
    {
      error: new TokenChangeHandlerError(new Error('db down')),
      ctor: TokenChangeHandlerError,
      code: 'ERR_TOKEN_CHANGE_HANDLER',
    },
    {
      error: new TokenRequestInputError('clientCredentials: clientAssertion', 'threw'),
      ctor: TokenRequestInputError,
      code: 'ERR_TOKEN_REQUEST_INPUT',
    },
  ] as const;
  const classes = cases.map(({ ctor }) => ctor);

  test.each(cases)('$ctor.name has $code', ({ error, ctor, code }) => {
    expect(error).toBeInstanceOf(ctor);
    expect(error).toBeInstanceOf(TokenwiseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ctor.name);
    expect(error.code).toBe(code);
    expect(String(error)).toMatch(new RegExp(`^${ctor.name}: `));
    expect(error.stack).toContain(ctor.name);
    // No other class claims it, except TokenRequestError, which covers timeouts too.
    for (const other of classes.filter((c) => c !== ctor)) {
      const covers = other === TokenRequestError && ctor === TokenTimeoutError;
      expect(error instanceof other, `${ctor.name} instanceof ${other.name}`).toBe(covers);
    }
  });

  test('every code has its class, and errorCodes lists exactly those', () => {
    expect(new Set(cases.map(({ code }) => code))).toEqual(new Set(errorCodes));
    expect(errorCodes).toHaveLength(cases.length);
  });

  test('reauthorization after invalid_grant keeps the rejection: status, fields, cause, a message that says what to do', () => {
    const error = new ReauthorizationRequiredError(rejection);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', cause: rejection });
    expect(error.message).toMatch(
      /^Token endpoint answered 400 \(invalid_grant\); .*re-authorization is required$/,
    );
    expect(new ReauthorizationRequiredError()).toMatchObject({
      status: undefined,
      error: undefined,
    });
  });
});
