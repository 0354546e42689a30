/**
 * How `tokenRequest` reads a vendor's answer: which statuses succeed, field maps with dotted
 * paths, a parse function, and a non-JSON answer.
 */
import { describe, expect, test } from 'vitest';
import { TokenResponseError } from '../errors.ts';
import { tokenRequestBase as base, response } from '../test-support/flow-fixtures.ts';
import { tokenRequest } from './token-request.ts';

describe('tokenRequest', () => {
  test.each([
    { successStatus: undefined, yes: [200, 201, 204, 299], no: [199, 300, 302, 401, 500] },
    { successStatus: 201, yes: [201], no: [200, 202, 204] },
    { successStatus: [200, 201], yes: [200, 201], no: [202, 204] },
  ])('successStatus $successStatus', ({ successStatus, yes, no }) => {
    const flow = tokenRequest({ ...base, successStatus });
    for (const status of yes) expect(flow.isSuccess(status)).toBe(true);
    for (const status of no) expect(flow.isSuccess(status)).toBe(false);
  });

  test('a field map reads top-level names and dotted paths', () => {
    const flow = tokenRequest({
      ...base,
      response: {
        accessToken: 'data.auth.token',
        tokenType: 'data.auth.type',
        expiresIn: 'data.ttl',
        expiresAt: 'valid_until',
        refreshToken: 'data.auth.refresh',
        scope: 'data.scopes',
      },
    });
    const body = {
      valid_until: '2024-07-11T07:48Z',
      data: { auth: { token: 't', type: 'bearer', refresh: 'r' }, ttl: '60', scopes: ['a', 'b'] },
    };
    expect(flow.parse(response(body, { status: 201 }))).toEqual({
      accessToken: 't',
      tokenType: 'bearer',
      expiresIn: '60',
      expiresAt: '2024-07-11T07:48Z',
      refreshToken: 'r',
      scope: ['a', 'b'],
    });
  });

  test('a path through a missing or non-object node reads undefined', () => {
    const flow = tokenRequest({
      ...base,
      response: { accessToken: 'data.token.value', expiresAt: 'x.y' },
    });
    expect(flow.parse(response({ data: { token: 'flat' }, x: null }))).toMatchObject({
      accessToken: undefined,
      expiresAt: undefined,
    });
  });

  test('a parse function gets the JSON body and the response', () => {
    const flow = tokenRequest({
      ...base,
      response: (json, res) => ({
        accessToken: json.jwt,
        expiresIn: res.headers.get('x-expires-in'),
      }),
    });
    expect(
      flow.parse(response({ jwt: 'j' }, { status: 201, headers: { 'x-expires-in': '90' } })),
    ).toEqual({ accessToken: 'j', expiresIn: '90' });
  });

  test('a non-JSON answer is a TokenResponseError naming its content type', () => {
    const flow = tokenRequest(base);
    const parse = () =>
      flow.parse(response(undefined, { status: 201, headers: { 'content-type': 'text/html' } }));
    expect(parse).toThrow(TokenResponseError);
    expect(parse).toThrow('Token endpoint answer is not a JSON object (content-type: text/html)');
  });
});
