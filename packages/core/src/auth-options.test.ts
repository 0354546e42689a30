import { describe, expect, it } from 'vitest';
import { assertAuthOptions } from './auth-options.ts';
import type { TokenManager } from './token-manager.ts';

const tokens = {
  getToken: async () => ({ accessToken: 'a', tokenType: 'Bearer', raw: {} }),
  invalidate: async () => true,
} as unknown as TokenManager;

describe('assertAuthOptions with the name of the adapter', () => {
  it.each([
    [
      'a client given instead of options',
      function got() {},
      /^gotAuth: auth options must be an object, got a function named got$/,
    ],
    ['no options', undefined, /^gotAuth: auth options must be an object, got undefined$/],
    [
      'a client as tokens',
      { tokens: Object.assign(function got() {}, { extend() {} }) },
      /^gotAuth: tokens must be a token manager from createTokenManager\(\) or a function of the request returning one, got a function named got \(an HTTP client\)$/,
    ],
    [
      'an axios instance as tokens',
      { tokens: Object.assign(function wrap() {}, { interceptors: {} }) },
      /, got a function named wrap \(an HTTP client\)$/,
    ],
    [
      'a manager without invalidate as tokens',
      { tokens: { getToken: async () => ({}) } },
      /^gotAuth: tokens must be a token manager .*, got an object$/,
    ],
    [
      'a flow as tokens',
      { tokens: { kind: 'client_credentials' } },
      /^gotAuth: tokens must be a token manager .*, got an object$/,
    ],
    ['a class instance as tokens', { tokens: new Map() }, /got an instance of Map$/],
    [
      'origins as a string',
      { tokens, origins: 'https://a.example' },
      /^gotAuth: origins must be an array of origins$/,
    ],
    [
      'an invalid origin',
      { tokens, origins: ['not a url'] },
      /^gotAuth: origins: not a url is not a valid origin$/,
    ],
    [
      'a header with a line break',
      { tokens, headers: { 'X-Tenant': 'a\r\nb' } },
      /^gotAuth: headers: header 'X-Tenant'/,
    ],
    [
      'reauthorizeOn as a status',
      { tokens, reauthorizeOn: 401 },
      /^gotAuth: reauthorizeOn must be a function$/,
    ],
    [
      'retryOn401 as a string',
      { tokens, retryOn401: 'yes' },
      /^gotAuth: retryOn401 must be a boolean$/,
    ],
  ])(
    'refuses %s with a TypeError that names the function and the option',
    (_, options, message) => {
      expect(() => assertAuthOptions(options, 'gotAuth')).toThrow(TypeError);
      expect(() => assertAuthOptions(options, 'gotAuth')).toThrow(message);
    },
  );

  it('never quotes a value in what it says it got (a token manager option may hold a secret)', () => {
    expect(() => assertAuthOptions({ tokens: 'secret-token-value' }, 'kyAuth')).toThrow(
      /^kyAuth: tokens must be a token manager from createTokenManager\(\) or a function of the request returning one, got a string$/,
    );
  });

  it('accepts a token manager with every optional option', () => {
    expect(() =>
      assertAuthOptions(
        {
          tokens,
          origins: [new URL('https://a.example/x')],
          headers: () => ({}),
          retryOn401: false,
          reauthorizeOn: ({ status }: { status: number }) => status === 403,
        },
        'kyAuth',
      ),
    ).not.toThrow();
  });

  it('accepts a function of the request as tokens (checked at each request, not here)', () => {
    expect(() => assertAuthOptions({ tokens: () => tokens }, 'kyAuth')).not.toThrow();
    expect(() =>
      assertAuthOptions({ tokens: async () => 'not a manager' }, 'kyAuth'),
    ).not.toThrow();
  });
});
