/** How a tokenwise error renders: `toJSON` with the safe fields, and `util.inspect`. */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { TokenEndpointError, TokenRequestError, TokenResponseError } from './errors.ts';
import { ReauthorizationRequiredError } from './manager-errors.ts';

describe('toJSON and util.inspect', () => {
  test('toJSON lists the safe fields and leaves out undefined ones', () => {
    const error = new TokenEndpointError(
      429,
      { error: 'slow_down', errorDescription: 'Too many requests' },
      2_000,
    );
    expect(error.toJSON()).toEqual({
      name: 'TokenEndpointError',
      code: 'ERR_TOKEN_ENDPOINT',
      message: 'Token endpoint answered 429 (slow_down: Too many requests)',
      status: 429,
      error: 'slow_down',
      errorDescription: 'Too many requests',
      retryAfterMs: 2_000,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  test('describes an Error cause by name, message and code', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { code: 'ECONNREFUSED' });
    const error = new TokenRequestError('unreachable', cause);
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'TokenRequestError',
      code: 'ERR_TOKEN_NETWORK',
      message: 'unreachable',
      cause: { name: 'TypeError', message: 'fetch failed', code: 'ECONNREFUSED' },
    });
  });

  test('describes a tokenwise cause by its own safe view, and other causes as strings', () => {
    const inner = new TokenEndpointError(400, { error: 'invalid_grant' });
    const outer = new ReauthorizationRequiredError(inner);
    expect(outer.toJSON().cause).toEqual(inner.toJSON());
    expect(new TokenResponseError(200, 'x', {}, 42).toJSON().cause).toBe('42');
  });

  test('util.inspect shows the name, the safe fields, the cause and the stack', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new TokenResponseError(
      502,
      'bad answer',
      { error: 'bad_gateway', errorDescription: 'Upstream down' },
      cause,
    );
    const shown = inspect(error);
    expect(shown.startsWith('TokenResponseError {')).toBe(true);
    expect(shown).toContain('"code": "ERR_TOKEN_RESPONSE"');
    expect(shown).toContain('"status": 502');
    expect(shown).toContain('"error": "bad_gateway"');
    expect(shown).toContain('"errorDescription": "Upstream down"');
    expect(shown).toContain('"message": "socket hang up"');
    expect(shown).toContain('"code": "ECONNRESET"');
    expect(shown).toMatch(/\n\s+at /);
  });
});
