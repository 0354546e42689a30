/**
 * `describeRequest`: a description cheap enough for every request, which reads what the client
 * holds only when asked; and `headersOf`, its copy of a client's headers.
 */
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { describedOf, describeRequest, headersOf } from './auth-request.ts';
import { createAuthorizer } from './authorizer.ts';
import { fakeManager } from './test-support/fake-manager.ts';
import type { TokensRequest } from './tokens-choice.ts';

const url = 'https://api.example.com/members?page=2';

describe('describeRequest', () => {
  it('reads the URL, method and headers only when asked, each once', () => {
    const fullUrl = vi.fn(() => url);
    const own = vi.fn(() => new Headers({ 'X-Tenant': 'acme' }));
    const request = describeRequest(fullUrl, 'patch', own);
    expect([fullUrl, own].map((read) => read.mock.calls.length)).toEqual([0, 0]);
    expect([request.url, request.url, request.method, request.method]).toEqual([
      url,
      url,
      'PATCH',
      'PATCH',
    ]);
    expect(request.headers).toBe(request.headers);
    expect([...request.headers]).toEqual([['x-tenant', 'acme']]);
    expect([fullUrl, own].map((read) => read.mock.calls.length)).toEqual([1, 1]);
  });

  it('copies the client’s own headers as it holds them: Headers, pairs, a record, none', () => {
    const held = new Headers({ 'X-Tenant': 'acme' });
    const copy = describeRequest(url, undefined, held).headers;
    held.set('X-Tenant', 'globex');
    expect([...copy]).toEqual([['x-tenant', 'acme']]);
    expect([...describeRequest(url, 'GET', [['X-A', '1']]).headers]).toEqual([['x-a', '1']]);
    const record = { 'X-A': ['1', '2'], 'X-Off': false };
    expect([...describeRequest(url, 'GET', record).headers]).toEqual([['x-a', '1, 2']]);
    expect([...describeRequest(new URL(url), undefined).headers]).toEqual([]);
    expect(describeRequest(new URL(url), undefined).method).toBe('GET');
    expect(describeRequest(new URL(url), undefined).url).toBe(url);
  });

  it('describedOf: a URL alone is a GET without headers; another request is read when asked', () => {
    const alone = describedOf(new URL(url));
    expect([alone.url, alone.method, [...alone.headers]]).toEqual([url, 'GET', []]);
    const headers = new Headers({ 'X-A': '1' });
    const other = describedOf({ url: new URL(url), method: 'post', headers });
    expect([other.url, other.method, other.headers]).toEqual([url, 'POST', headers]);
    const described = describeRequest(url, 'GET');
    expect(describedOf(described)).toBe(described);
  });

  it('logs and serialises as its URL and method, never its headers', () => {
    const request = describeRequest(url, 'put', {
      Authorization: 'Basic c2VjcmV0',
      'X-Tenant': 'acme',
    });
    expect(inspect(request)).toBe(`TokensRequest { method: 'PUT', url: '${url}' }`);
    expect(JSON.parse(JSON.stringify(request))).toEqual({ url, method: 'PUT' });
    expect(`${inspect(request)}${JSON.stringify(request)}`).not.toMatch(/c2VjcmV0|acme/);
  });
});

describe('what the authorizer reads of a request', () => {
  /** A described request whose URL and headers count their reads. */
  function counted() {
    const fullUrl = vi.fn(() => url);
    const own = vi.fn(() => new Headers({ 'X-Tenant': 'acme' }));
    return { request: describeRequest(fullUrl, 'put', own), fullUrl, own };
  }

  it('nothing, for one manager and static headers; the URL only, for a header function', async () => {
    const tokens = fakeManager();
    const plain = counted();
    await createAuthorizer({ tokens, headers: { 'X-Id': '1' } }).authorize(plain.request);
    expect([plain.fullUrl, plain.own].map((read) => read.mock.calls.length)).toEqual([0, 0]);
    const byUrl = counted();
    const produce = vi.fn((target: URL) => ({ 'X-Path': target.pathname }));
    const authorizer = createAuthorizer({ tokens, headers: produce });
    const { headers } = await authorizer.authorize(byUrl.request);
    expect(headers['X-Path']).toBe('/members');
    expect(String(produce.mock.calls[0]?.[0])).toBe(url);
    expect([byUrl.fullUrl, byUrl.own].map((read) => read.mock.calls.length)).toEqual([1, 0]);
  });

  it('all of it, for a tokens function: the request itself, its headers copied when read', async () => {
    const tokens = fakeManager();
    const seen: TokensRequest[] = [];
    const authorizer = createAuthorizer({
      tokens: (request) => {
        seen.push(request);
        return tokens;
      },
    });
    const { request, own } = counted();
    await authorizer.authorize(request);
    expect(seen[0]).toBe(request);
    expect(own).not.toHaveBeenCalled();
    expect([seen[0]?.url, seen[0]?.method, seen[0]?.headers.get('x-tenant')]).toEqual([
      url,
      'PUT',
      'acme',
    ]);
  });
});

describe('headersOf', () => {
  it('copies pairs (a Headers, an array, an AxiosHeaders-like iterable) as it copies a record', () => {
    const pairs = {
      *[Symbol.iterator]() {
        yield ['X-Tenant-Id', 'acme'] as const;
        yield ['Accept', ['application/json', 'text/plain']] as const;
        yield ['X-Off', false] as const;
        yield ['Bad Name', 'x'] as const;
      },
    };
    const expected = [
      ['accept', 'application/json, text/plain'],
      ['x-tenant-id', 'acme'],
    ];
    expect([...headersOf(pairs)]).toEqual(expected);
    expect([...headersOf(new Headers(expected as [string, string][]))]).toEqual(expected);
    expect([...headersOf([['X-Tenant-Id', 'acme']])]).toEqual([['x-tenant-id', 'acme']]);
  });
});
