/**
 * `parseOAuthResponse`: the RFC 6749 §5.1 fields, and the answers that are not a token.
 */
import { describe, expect, test } from 'vitest';
import { TokenResponseError } from '../errors.ts';
import { response } from '../test-support/flow-fixtures.ts';
import { parseOAuthResponse } from './oauth-options.ts';

describe('parseOAuthResponse', () => {
  test('maps the RFC 6749 §5.1 fields', () => {
    expect(
      parseOAuthResponse(
        response({
          access_token: 'a',
          token_type: 'BEARER',
          expires_in: 21600,
          expires_at: 1_720_684_080,
          refresh_token: 'r',
          refresh_expires_in: 86400,
          scope: 'x y',
        }),
      ),
    ).toEqual({
      accessToken: 'a',
      tokenType: 'BEARER',
      expiresIn: 21600,
      expiresAt: 1_720_684_080,
      refreshToken: 'r',
      refreshExpiresIn: 86400,
      scope: 'x y',
    });
  });

  test('reads refresh_token_expires_in when refresh_expires_in is absent', () => {
    expect(
      parseOAuthResponse(response({ access_token: 'a', refresh_token_expires_in: 60 })),
    ).toMatchObject({ refreshExpiresIn: 60 });
  });

  test('a 200 carrying {error} is a TokenResponseError with the error fields', () => {
    const parse = () =>
      parseOAuthResponse(
        response({
          error: 'invalid_request',
          error_description: 'Missing grant_type',
          error_uri: 'https://docs.example.com/e',
        }),
      );
    expect(parse).toThrow(TokenResponseError);
    expect(parse).toThrow('Token endpoint answered 200 with an error (invalid_request)');
    try {
      parse();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'ERR_TOKEN_RESPONSE',
        status: 200,
        error: 'invalid_request',
        errorDescription: 'Missing grant_type',
        errorUri: 'https://docs.example.com/e',
      });
    }
  });

  test.each([{ contentType: 'text/html; charset=utf-8' }, { contentType: 'text/plain' }])(
    'a body that is not JSON ($contentType) is a TokenResponseError',
    ({ contentType }) => {
      expect(() =>
        parseOAuthResponse(response(undefined, { headers: { 'content-type': contentType } })),
      ).toThrow(`Token endpoint answer is not a JSON object (content-type: ${contentType})`);
    },
  );

  test('no content type at all is named as none', () => {
    expect(() => parseOAuthResponse(response(undefined))).toThrow('(content-type: none)');
  });
});
