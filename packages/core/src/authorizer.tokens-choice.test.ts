/**
 * A `tokens` function: called with the request, its manager's tokens attached, its result checked
 * at each request, and the coalescing of one manager never handing another's token.
 */
import { describe, expect, it, vi } from 'vitest';
import { describeRequest, headersOf } from './auth-request.ts';
import { createAuthorizer } from './authorizer.ts';
import { fakeManager } from './test-support/fake-manager.ts';
import type { TokensRequest } from './tokens-choice.ts';

const url = 'https://api.example.com/members?page=2';

describe('tokens as a function of the request', () => {
  it('is given the URL as a string, the method in upper case and the request’s own headers', async () => {
    const seen: TokensRequest[] = [];
    const tokens = fakeManager();
    const authorizer = createAuthorizer({
      tokens: (request) => {
        seen.push(request);
        return tokens;
      },
    });
    const request = describeRequest(new URL(url), 'patch', () => new Headers({ 'X-Tenant': 'a' }));
    await authorizer.authorize(request);
    await authorizer.authorize(url); // a URL alone: a GET without headers
    expect(seen.map(({ url, method, headers }) => [url, method, [...headers]])).toEqual([
      [url, 'PATCH', [['x-tenant', 'a']]],
      [url, 'GET', []],
    ]);
  });

  it('attaches the token of the manager it chose, never another’s (sync and async choices)', async () => {
    const managers = {
      acme: fakeManager({ accessToken: 'acme-token' }),
      globex: fakeManager({ accessToken: 'globex-token' }),
    };
    const authorizer = createAuthorizer({
      tokens: async ({ headers }) => managers[headers.get('x-tenant') as 'acme' | 'globex'],
    });
    const sync = createAuthorizer({
      tokens: ({ headers }) => managers[headers.get('x-tenant') as 'acme' | 'globex'],
    });
    const of = (tenant: string) =>
      describeRequest(url, 'GET', () => new Headers({ 'X-Tenant': tenant }));
    for (const each of [authorizer, sync]) {
      const sent = await Promise.all(
        ['acme', 'globex', 'acme', 'globex'].map(async (tenant) => {
          const { headers } = await each.authorize(of(tenant));
          return headers.Authorization;
        }),
      );
      expect(sent).toEqual([
        'Bearer acme-token',
        'Bearer globex-token',
        'Bearer acme-token',
        'Bearer globex-token',
      ]);
    }
  });

  it('refuses, per request, a result that is not a token manager, with a TypeError naming the option', async () => {
    const tokens = vi.fn<() => unknown>(() => 'acme');
    const authorizer = createAuthorizer({ tokens: tokens as never });
    await expect(authorizer.authorize(url)).rejects.toThrow(TypeError);
    await expect(authorizer.authorize(url)).rejects.toThrow(
      /^tokens: the tokens function must return a token manager .*, got string$/,
    );
    tokens.mockImplementation(async () => ({ getToken: () => {} }));
    await expect(authorizer.authorize(url)).rejects.toThrow(
      /got an object without getToken and invalidate$/,
    );
    tokens.mockImplementation(() => fakeManager());
    await expect(authorizer.authorize(url)).resolves.toMatchObject({
      token: { accessToken: 'access-1' },
    });
  });

  it('rejects with the function’s own error', async () => {
    const error = new Error('unknown tenant');
    const authorizer = createAuthorizer({
      tokens: () => {
        throw error;
      },
    });
    await expect(authorizer.authorize(url)).rejects.toBe(error);
  });
});

describe('headersOf', () => {
  it('copies a client’s header record: arrays, numbers, and nothing for absent or refused values', () => {
    const headers = headersOf({
      'X-Tenant-Id': 'acme',
      Accept: ['application/json', 'text/plain'],
      'Content-Length': 12,
      'X-Absent': undefined,
      'X-Off': false,
      'X-Null': null,
      'Bad Name': 'x',
      'X-Bad-Value': 'a\r\nb',
    });
    expect([...headers]).toEqual([
      ['accept', 'application/json, text/plain'],
      ['content-length', '12'],
      ['x-tenant-id', 'acme'],
    ]);
  });
});
