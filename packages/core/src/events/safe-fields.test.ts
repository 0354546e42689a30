import { describe, expect, it } from 'vitest';
import { TokenEndpointError, TokenTimeoutError } from '../errors.ts';
import { endpointOf, errorSummary, originOf, statusOf } from './safe-fields.ts';

describe('errorSummary', () => {
  it.each([
    [
      new TokenEndpointError(401, { error: 'invalid_client' }),
      { name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' },
    ],
    [new TokenTimeoutError('slow'), { name: 'TokenTimeoutError', code: 'ERR_TOKEN_TIMEOUT' }],
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      { name: 'Error', code: 'ECONNREFUSED' },
    ],
    [new DOMException('store did not answer', 'TimeoutError'), { name: 'TimeoutError' }],
    [Object.assign(new Error('x'), { code: 'sekrit-value-42' }), { name: 'Error' }],
    [Object.assign(new Error('x'), { name: 'token abc123 leaked' }), { name: 'Error' }],
    ['a thrown string', { name: 'string' }],
    [undefined, { name: 'undefined' }],
  ])('keeps the name and code of %s, never its message', (error, summary) => {
    expect(errorSummary(error)).toEqual(summary);
  });
});

describe('statusOf', () => {
  it('reads an integer status, and nothing else', () => {
    expect(statusOf(new TokenEndpointError(503, {}))).toBe(503);
    expect(statusOf({ status: '503' })).toBeUndefined();
    expect(statusOf(new Error('x'))).toBeUndefined();
    expect(statusOf(null)).toBeUndefined();
  });
});

describe('endpointOf and originOf', () => {
  it('keep origin and path, never credentials, query or fragment', () => {
    expect(endpointOf('https://user:pw@auth.example.com:8443/t/token?api_key=k#frag')).toBe(
      'https://auth.example.com:8443/t/token',
    );
    expect(originOf('https://api.example.com/users/42?key=k')).toBe('https://api.example.com');
    expect(originOf(new URL('http://127.0.0.1:3000/x'))).toBe('http://127.0.0.1:3000');
  });

  it('give an empty string for what is not a URL', () => {
    expect(endpointOf('not a url')).toBe('');
    expect(originOf('/relative')).toBe('');
    expect(originOf('data:text/plain,secret')).toBe('');
  });
});
