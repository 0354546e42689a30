/**
 * `tokenRequest` checks its options at once: a TypeError naming the option.
 */
import { describe, expect, test } from 'vitest';
import { tokenRequestBase as base } from '../test-support/flow-fixtures.ts';
import { tokenRequest } from './token-request.ts';

describe('tokenRequest', () => {
  test.each([
    {
      name: 'options missing',
      options: null,
      message: /^tokenRequest: options must be an object$/,
    },
    {
      name: 'url missing',
      options: { ...base, url: undefined },
      message: /^tokenRequest: url must be a URL string$/,
    },
    {
      name: 'url relative',
      options: { ...base, url: '/token' },
      message: /^tokenRequest: url is not a valid URL$/,
    },
    {
      name: 'method invalid',
      options: { ...base, method: 'PO ST' },
      message: /^tokenRequest: method must be an HTTP method name$/,
    },
    {
      name: 'bodyFormat invalid',
      options: { ...base, bodyFormat: 'yaml' },
      message: /^tokenRequest: bodyFormat must be 'form' or 'json'$/,
    },
    {
      name: 'body missing',
      options: { ...base, body: undefined },
      message: /^tokenRequest: body must be an object or a function returning one$/,
    },
    { name: 'body null', options: { ...base, body: null }, message: /^tokenRequest: body must be/ },
    {
      name: 'successStatus 404',
      options: { ...base, successStatus: 404 },
      message: /^tokenRequest: successStatus must be 2xx status codes$/,
    },
    {
      name: 'successStatus fractional',
      options: { ...base, successStatus: [200, 201.5] },
      message: /^tokenRequest: successStatus must be 2xx/,
    },
    {
      name: 'response missing',
      options: { ...base, response: undefined },
      message:
        /^tokenRequest: response must be a field map with an accessToken path, or a function$/,
    },
    {
      name: 'response without accessToken',
      options: { ...base, response: { expiresAt: 'valid_until' } },
      message: /^tokenRequest: response must be a field map/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => tokenRequest(options as never)).toThrow(TypeError);
    expect(() => tokenRequest(options as never)).toThrow(message);
  });
});
