/** TokenEndpointError: the RFC 6749 error fields, the message built from them, Retry-After. */
import { describe, expect, test } from 'vitest';
import { TokenEndpointError } from './errors.ts';

describe('TokenEndpointError', () => {
  test('carries the RFC 6749 fields and builds its message from them', () => {
    const error = new TokenEndpointError(400, {
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
      errorUri: 'https://docs.example.com/errors#invalid_client',
    });
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
      errorUri: 'https://docs.example.com/errors#invalid_client',
      retryAfterMs: undefined,
    });
    expect(error.message).toBe(
      'Token endpoint answered 400 (invalid_client: Invalid client credentials)',
    );
  });

  test.each([
    { fields: {}, message: 'Token endpoint answered 503' },
    {
      fields: { error: 'Invalid request' },
      message: 'Token endpoint answered 401 (Invalid request)',
    },
    { fields: { errorDescription: 'Nope' }, message: 'Token endpoint answered 401 (Nope)' },
  ])('message for $fields', ({ fields, message }) => {
    const status = message.includes('503') ? 503 : 401;
    expect(new TokenEndpointError(status, fields).message).toBe(message);
  });

  test('keeps Retry-After', () => {
    expect(new TokenEndpointError(429, {}, 30_000).retryAfterMs).toBe(30_000);
  });
});
