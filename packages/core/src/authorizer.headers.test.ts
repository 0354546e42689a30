/**
 * The headers an authorizer sends: Authorization built from the manager's token, the extra
 * headers beside it, and the names it reports as sensitive.
 */
import { describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import { TokenEndpointError } from './errors.ts';
import { fakeManager } from './test-support/fake-manager.ts';

describe('authorize', () => {
  it('gets a token with the caller’s signal and builds the Authorization header', async () => {
    const tokens = fakeManager({ tokenType: 'BEARER' });
    const authorizer = createAuthorizer({ tokens });
    const signal = new AbortController().signal;
    const { token, headers } = await authorizer.authorize('https://api.example.com/x', { signal });
    expect(token.accessToken).toBe('access-1');
    expect(headers).toEqual({ Authorization: 'Bearer access-1' });
    expect(tokens.getToken).toHaveBeenCalledWith({ signal });
  });

  it('keeps other schemes such as DPoP', async () => {
    const authorizer = createAuthorizer({ tokens: fakeManager({ tokenType: 'DPoP' }) });
    const { headers } = await authorizer.authorize('https://api.example.com/x');
    expect(headers.Authorization).toBe('DPoP access-1');
  });

  it('adds static extra headers, and never lets them replace Authorization', async () => {
    const authorizer = createAuthorizer({
      tokens: fakeManager(),
      headers: { 'X-Tenant-Id': 'tenant-1', Authorization: 'Basic forged' },
    });
    const { headers } = await authorizer.authorize('https://api.example.com/x');
    expect(headers).toEqual({ 'X-Tenant-Id': 'tenant-1', Authorization: 'Bearer access-1' });
  });

  it('calls a header function with the request URL, sync or async', async () => {
    const sync = vi.fn((url: URL) => ({ 'X-Path': url.pathname }));
    const async = vi.fn(async (url: URL) => ({ 'X-Host': url.host }));
    const a = createAuthorizer({ tokens: fakeManager(), headers: sync });
    const b = createAuthorizer({ tokens: fakeManager(), headers: async });
    expect((await a.authorize('https://api.example.com/one?q=1')).headers['X-Path']).toBe('/one');
    expect((await a.authorize(new URL('https://api.example.com/two'))).headers['X-Path']).toBe(
      '/two',
    );
    expect((await b.authorize('https://api.example.com:8443/x')).headers['X-Host']).toBe(
      'api.example.com:8443',
    );
    expect(sync.mock.calls[0]?.[0]).toBeInstanceOf(URL);
  });

  it('refuses extra headers no client sends as written (one name twice, __proto__): static ones at creation, a function’s at the request', async () => {
    const twice = { 'X-Tenant-Id': 'a', 'x-tenant-id': 'b' };
    expect(() => createAuthorizer({ tokens: fakeManager(), headers: twice })).toThrow(
      new TypeError("headers: header 'x-tenant-id' is named twice (names ignore case)"),
    );
    const produced = createAuthorizer({
      tokens: fakeManager(),
      headers: () => JSON.parse('{"__proto__": "v"}') as Record<string, string>,
    });
    await expect(produced.authorize('https://api.example.com/x')).rejects.toThrow(
      new TypeError(
        `headers: the header function's result: "__proto__" is not a valid header name`,
      ),
    );
  });

  it('passes the manager’s error through', async () => {
    const tokens = fakeManager();
    const error = new TokenEndpointError(401, { error: 'invalid_client' });
    tokens.getToken.mockRejectedValueOnce(error);
    await expect(createAuthorizer({ tokens }).authorize('https://x.example')).rejects.toBe(error);
  });
});

describe('sensitiveHeaders', () => {
  it('names Authorization and every extra header, lower-cased, static or produced so far', async () => {
    const fixed = createAuthorizer({ tokens: fakeManager(), headers: { 'X-Tenant-Id': 't' } });
    expect([...fixed.sensitiveHeaders()].sort()).toEqual(['authorization', 'x-tenant-id']);

    const dynamic = createAuthorizer({
      tokens: fakeManager(),
      headers: (url) => ({ [`X-${url.pathname.slice(1)}`]: '1' }),
    });
    expect([...dynamic.sensitiveHeaders()]).toEqual(['authorization']);
    await dynamic.authorize('https://api.example.com/One');
    await dynamic.authorize('https://api.example.com/Two');
    expect([...dynamic.sensitiveHeaders()].sort()).toEqual(['authorization', 'x-one', 'x-two']);
  });
});
