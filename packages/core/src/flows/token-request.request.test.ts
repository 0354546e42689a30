/**
 * The request `tokenRequest` builds for a vendor token endpoint: method, body format, query
 * string for GET, and a body function called every time.
 */
import { describe, expect, test } from 'vitest';
import {
  tokenRequestBase as base,
  formOf,
  initial,
  jsonOf,
  tokenRequestUrl as url,
} from '../test-support/flow-fixtures.ts';
import { tokenRequest } from './token-request.ts';

describe('tokenRequest', () => {
  test('defaults: POST with a JSON body and JSON headers', () => {
    const flow = tokenRequest(base);
    expect(flow.kind).toBe('token_request');
    expect(flow.initialGrant?.reusable).toBe(true);
    expect(flow.refreshGrant).toBeUndefined();
    const request = initial(flow);
    expect(request).toMatchObject({ url, method: 'POST' });
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(jsonOf(request)).toEqual({ api_key: 'k', client_secret: 's' });
  });

  test('method is upper-cased; form bodies and headers are honoured', () => {
    const request = initial(
      tokenRequest({
        ...base,
        method: 'put',
        bodyFormat: 'form',
        headers: { 'X-Api-Version': '2' },
      }),
    );
    expect(request.method).toBe('PUT');
    expect(request.headers['X-Api-Version']).toBe('2');
    expect(formOf(request)).toEqual([
      ['api_key', 'k'],
      ['client_secret', 's'],
    ]);
  });

  test('GET sends the parameters in the query string, without a body', () => {
    const request = initial(tokenRequest({ ...base, url: `${url}?v=1`, method: 'GET' }));
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ Accept: 'application/json' });
    expect(new URL(request.url).search).toBe('?v=1&api_key=k&client_secret=s');
  });

  test('a body function is called for every request', () => {
    let calls = 0;
    const flow = tokenRequest({
      ...base,
      body: () => {
        calls++;
        return { api_key: 'k', nonce: String(calls) };
      },
    });
    expect(jsonOf(initial(flow))).toEqual({ api_key: 'k', nonce: '1' });
    expect(jsonOf(initial(flow))).toEqual({ api_key: 'k', nonce: '2' });
    // A body function may carry other credentials each time: its flow shares no cache entry.
    expect(flow.cacheKeyMaterial()).toBe(flow.cacheKeyMaterial());
    const twin = tokenRequest({ ...base, body: () => ({ api_key: 'k' }) });
    expect(twin.cacheKeyMaterial()).not.toBe(flow.cacheKeyMaterial());
  });

  test('undefined body values are left out', () => {
    expect(jsonOf(initial(tokenRequest({ ...base, body: { a: 'x', b: undefined } })))).toEqual({
      a: 'x',
    });
  });
});
