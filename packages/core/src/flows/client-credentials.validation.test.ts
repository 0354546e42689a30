/**
 * `clientCredentials` checks its options at once: a TypeError naming the option.
 */
import { describe, expect, test } from 'vitest';
import { tokenUrl } from '../test-support/flow-fixtures.ts';
import { clientCredentials } from './client-credentials.ts';

describe('clientCredentials', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1' };
  test.each([
    {
      name: 'options missing',
      options: undefined,
      message: /^clientCredentials: options must be an object$/,
    },
    {
      name: 'clientId missing',
      options: { tokenUrl, clientSecret: 's' },
      message: /clientId must be a non-empty string/,
    },
    {
      name: 'clientId blank',
      options: { ...base, clientId: ' ' },
      message: /clientId must be a non-empty string/,
    },
    {
      name: 'tokenUrl missing',
      options: { clientId: 'c', clientSecret: 's' },
      message: /tokenUrl must be a URL string/,
    },
    {
      name: 'tokenUrl unparsable',
      options: { ...base, tokenUrl: 'auth.example.com/token' },
      message: /tokenUrl is not a valid URL/,
    },
    {
      name: 'tokenUrl not http(s)',
      options: { ...base, tokenUrl: 'ftp://auth.example.com/token' },
      message: /tokenUrl must be an http\(s\) URL/,
    },
    {
      name: 'tokenUrl with credentials',
      options: { ...base, tokenUrl: 'https://u:pw@auth.example.com/' },
      message: /tokenUrl must not contain credentials/,
    },
    {
      name: 'clientSecret missing',
      options: { tokenUrl, clientId: 'c' },
      message: /clientSecret must be a non-empty string/,
    },
    {
      name: 'clientSecret empty',
      options: { ...base, clientSecret: '' },
      message: /clientSecret must be a non-empty string/,
    },
    {
      name: 'bodyFormat unknown',
      options: { ...base, bodyFormat: 'xml' },
      message: /bodyFormat must be 'form' or 'json'/,
    },
    {
      name: 'clientAuth unknown',
      options: { ...base, clientAuth: 'private_key_JWT' },
      message:
        /clientAuth must be 'client_secret_post', 'client_secret_basic', 'client_secret_jwt', 'private_key_jwt', 'none' or 'auto'/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => clientCredentials(options as never)).toThrow(TypeError);
    expect(() => clientCredentials(options as never)).toThrow(message);
  });

  test('a URL object is accepted and normalised', () => {
    expect(
      clientCredentials({ ...base, tokenUrl: new URL('HTTPS://Auth.Example.com/connect/token') })
        .tokenUrl,
    ).toBe(tokenUrl);
  });
});
