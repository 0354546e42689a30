import { describe, expect, it } from 'vitest';
import { challengeParam, parseWwwAuthenticate } from './www-authenticate.ts';

/** The challenges as plain objects (params have no prototype), for `toEqual`. */
const parsed = (value: string | null) =>
  parseWwwAuthenticate(value).map(({ scheme, params, token68 }) => ({
    scheme,
    params: { ...params },
    ...(token68 !== undefined && { token68 }),
  }));

describe('parseWwwAuthenticate', () => {
  it.each([
    ['', []],
    ['Bearer', [{ scheme: 'Bearer', params: {} }]],
    ['Bearer realm="api"', [{ scheme: 'Bearer', params: { realm: 'api' } }]],
    [
      'Bearer realm="api", error="insufficient_scope", scope="read write"',
      [
        {
          scheme: 'Bearer',
          params: { realm: 'api', error: 'insufficient_scope', scope: 'read write' },
        },
      ],
    ],
    // Several challenges in one value, the second of another scheme.
    [
      'Bearer error="invalid_token", DPoP algs="ES256 PS256", error="use_dpop_nonce"',
      [
        { scheme: 'Bearer', params: { error: 'invalid_token' } },
        { scheme: 'DPoP', params: { algs: 'ES256 PS256', error: 'use_dpop_nonce' } },
      ],
    ],
    // Tokens as values, spaces around '=', parameter names in any case.
    [
      'DPoP Error = use_dpop_nonce ,ALGS=ES256',
      [{ scheme: 'DPoP', params: { error: 'use_dpop_nonce', algs: 'ES256' } }],
    ],
    // Commas and escapes inside quoted strings.
    [
      'Bearer error_description="a, \\"quoted\\" b", error="x"',
      [{ scheme: 'Bearer', params: { error_description: 'a, "quoted" b', error: 'x' } }],
    ],
    // token68 forms, then a challenge with parameters.
    [
      'Negotiate abc+/==, Basic realm="files"',
      [
        { scheme: 'Negotiate', params: {}, token68: 'abc+/==' },
        { scheme: 'Basic', params: { realm: 'files' } },
      ],
    ],
    ['Basic dXNlcjpwYXNz', [{ scheme: 'Basic', params: {}, token68: 'dXNlcjpwYXNz' }]],
    // Challenges without parameters, empty list elements.
    [
      ' , Basic,,  Bearer , ',
      [
        { scheme: 'Basic', params: {} },
        { scheme: 'Bearer', params: {} },
      ],
    ],
    // The first of a repeated parameter wins; an unterminated quoted string runs to the end.
    [
      'Bearer error="a", error="b", realm="open',
      [{ scheme: 'Bearer', params: { error: 'a', realm: 'open' } }],
    ],
  ])('%j', (value, expected) => {
    expect(parsed(value)).toEqual(expected);
  });

  it('gives none for a missing header', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });

  it('skips what is not a challenge instead of throwing', () => {
    expect(parsed('"stray", =, Bearer error="x"')).toEqual([
      { scheme: 'stray', params: {} },
      { scheme: 'Bearer', params: { error: 'x' } },
    ]);
  });

  it('keeps a parameter named like an object property as a plain value', () => {
    const [challenge] = parseWwwAuthenticate('Bearer __proto__="x", constructor="y"');
    expect(Object.entries(challenge?.params ?? {})).toContainEqual(['__proto__', 'x']);
    expect(challenge?.params.constructor).toBe('y');
  });
});

describe('challengeParam', () => {
  const header = 'Bearer error="insufficient_scope", DPoP error="use_dpop_nonce"';

  it.each([
    ['error', undefined, 'insufficient_scope'],
    ['error', 'dpop', 'use_dpop_nonce'],
    ['ERROR', 'BEARER', 'insufficient_scope'],
    ['realm', undefined, undefined],
    ['error', 'Basic', undefined],
  ])('%s of %s', (name, scheme, expected) => {
    expect(challengeParam(header, name, scheme)).toBe(expected);
  });
});
