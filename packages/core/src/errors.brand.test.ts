/**
 * `instanceof` on tokenwise errors is a brand check: it holds across copies of the package and
 * across realms, and nothing merely named like one of ours passes it.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { TokenEndpointError, TokenResponseError, TokenwiseError } from './errors.ts';

describe('instanceof is a brand check', () => {
  const brand = Symbol.for('@tokenwise/core:error');

  test.each([
    undefined,
    null,
    'TokenEndpointError',
    { name: 'TokenEndpointError', message: 'not an error', code: 'ERR_TOKEN_ENDPOINT' },
    Object.assign(new Error('named like ours'), { name: 'TokenEndpointError' }),
    new Error('plain'),
    new TypeError('type'),
  ])('rejects %j', (value) => {
    expect(value instanceof TokenwiseError).toBe(false);
    expect(value instanceof TokenEndpointError).toBe(false);
  });

  test('holds for errors of a second copy of the package (another module instance)', async () => {
    const second = './errors.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ second)) as typeof import('./errors.ts');
    expect(copy.TokenEndpointError).not.toBe(TokenEndpointError);
    const foreign = new copy.TokenEndpointError(401, { error: 'invalid_client' });
    expect(foreign instanceof TokenEndpointError).toBe(true);
    expect(foreign instanceof TokenwiseError).toBe(true);
    expect(foreign instanceof TokenResponseError).toBe(false);
    expect(new TokenResponseError(200, 'x') instanceof copy.TokenResponseError).toBe(true);
  });

  test('holds for an error made in another realm (the symbol registry is shared)', () => {
    const foreign: unknown = runInNewContext(
      `const e = new Error('from a vm context');
       Object.defineProperty(e, Symbol.for('@tokenwise/core:error'), { value: true });
       e.code = 'ERR_TOKEN_RESPONSE';
       e`,
    );
    expect(foreign instanceof Error).toBe(false);
    expect(brand in (foreign as object)).toBe(true);
    expect(foreign instanceof TokenResponseError).toBe(true);
    expect(foreign instanceof TokenwiseError).toBe(true);
    expect(foreign instanceof TokenEndpointError).toBe(false);
  });
});
