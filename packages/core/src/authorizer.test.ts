import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type AuthOptions, createAuthorizer } from './authorizer.ts';
import { ErrorCode, TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { type ManualClock, manualClock, until } from './test-support/async.ts';
import {
  type AuthServer,
  clientId,
  clientSecret,
  closeAllServers,
  startAuthServer,
} from './test-support/auth-server.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

function fakeManager(token: Partial<Token> = {}): TokenManager & {
  getToken: ReturnType<typeof vi.fn<TokenManager['getToken']>>;
  invalidate: ReturnType<typeof vi.fn<TokenManager['invalidate']>>;
} {
  return {
    getToken: vi.fn<TokenManager['getToken']>(async () => ({
      accessToken: 'access-1',
      tokenType: 'Bearer',
      raw: {},
      ...token,
    })),
    invalidate: vi.fn<TokenManager['invalidate']>(async () => true),
    close: async () => {},
    cacheKey: async () => 'key',
  };
}

describe('appliesTo', () => {
  it('allows every URL without origins or base URL', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager() });
    expect(authorizer.appliesTo('https://anything.example/x')).toBe(true);
    expect(authorizer.appliesTo('http://127.0.0.1:1/')).toBe(true);
  });

  it('defaults to the origin of the base URL', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager() }, 'https://api.example.com/v1/');
    expect(authorizer.appliesTo('https://api.example.com/v2/members')).toBe(true);
    expect(authorizer.appliesTo(new URL('https://api.example.com:443/x'))).toBe(true);
    for (const other of [
      'https://api.example.com:8443/x',
      'http://api.example.com/x',
      'https://evil.example.com/x',
      'https://api.example.com.evil.com/x',
      '/relative/path',
      'not a url',
    ]) {
      expect(authorizer.appliesTo(other)).toBe(false);
    }
  });

  it('treats an empty base URL as none', () => {
    expect(createAuthorizer({ tokens: fakeManager() }, '').appliesTo('https://x.example')).toBe(
      true,
    );
  });

  it('uses origins instead of the base URL when given', () => {
    const authorizer = createAuthorizer(
      {
        tokens: fakeManager(),
        origins: ['https://a.example', new URL('https://b.example:8443/ignored/path')],
      },
      'https://base.example',
    );
    expect(authorizer.appliesTo('https://a.example/x')).toBe(true);
    expect(authorizer.appliesTo('https://b.example:8443/y')).toBe(true);
    expect(authorizer.appliesTo('https://b.example/y')).toBe(false);
    expect(authorizer.appliesTo('https://base.example/z')).toBe(false);
  });

  it('allows nothing with an empty origins list', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager(), origins: [] });
    expect(authorizer.appliesTo('https://a.example/x')).toBe(false);
  });
});

describe('option validation', () => {
  it.each([
    ['tokens', {}],
    ['tokens', { tokens: { getToken: 'no' } }],
    ['headers', { tokens: fakeManager(), headers: 42 }],
    ['headers', { tokens: fakeManager(), headers: null }],
    ['retryOn401', { tokens: fakeManager(), retryOn401: 'yes' }],
    ['origins', { tokens: fakeManager(), origins: 'https://a.example' }],
    ['origins', { tokens: fakeManager(), origins: ['not a url'] }],
    ['origins', { tokens: fakeManager(), origins: ['data:text/plain,hi'] }],
  ])('throws a TypeError naming %s', (name, options) => {
    const create = (): unknown => createAuthorizer(options as unknown as AuthOptions);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(name);
  });
});

describe('authorize', () => {
  it('gets a token with the caller’s signal and builds the Authorization header', async () => {
    const tokens = fakeManager({ tokenType: 'BEARER' });
    const authorizer = createAuthorizer({ tokens });
    const signal = new AbortController().signal;
    const { token, headers } = await authorizer.authorize('https://api.example.com/x', signal);
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

  it('passes the manager’s error through', async () => {
    const tokens = fakeManager();
    const error = new TokenEndpointError(401, { error: 'invalid_client' });
    tokens.getToken.mockRejectedValueOnce(error);
    await expect(createAuthorizer({ tokens }).authorize('https://x.example')).rejects.toBe(error);
  });
});

describe('shouldRetry', () => {
  const token: Token = { accessToken: 'sent-token', tokenType: 'Bearer', raw: {} };
  const api = 'https://api.example.com/admin?page=1';

  it('invalidates exactly the token that was sent and says to retry', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api)).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('retries even when another request already replaced the token', async () => {
    const tokens = fakeManager();
    tokens.invalidate.mockResolvedValueOnce(false);
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api)).toBe(true);
  });

  it('neither invalidates nor retries with retryOn401: false', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens, retryOn401: false }).shouldRetry(token, api)).toBe(
      false,
    );
    expect(tokens.invalidate).not.toHaveBeenCalled();
  });

  it('re-sends without invalidating a token already refused on a re-send, and only that token', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    authorizer.refusedOnRetry(token, api);
    expect(await authorizer.shouldRetry(token, api)).toBe(true);
    expect(tokens.invalidate).not.toHaveBeenCalled();
    expect(await authorizer.shouldRetry({ ...token, accessToken: 'newer-token' }, api)).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('newer-token');
  });

  it('remembers a refusal per origin and path: another endpoint still renews the token', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    authorizer.refusedOnRetry(token, 'https://api.example.com/admin');
    await authorizer.shouldRetry(token, 'https://api.example.com/admin?other=query');
    expect(tokens.invalidate).not.toHaveBeenCalled();
    await authorizer.shouldRetry(token, 'https://api.example.com/users');
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('lets a refusal stand 10 s, then renews again', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    authorizer.refusedOnRetry(token, api);
    vi.setSystemTime(1_009_999);
    await authorizer.shouldRetry(token, api);
    expect(tokens.invalidate).not.toHaveBeenCalled();
    vi.setSystemTime(1_010_000); // a token revoked right after it was issued is renewed after all
    await authorizer.shouldRetry(token, api);
    expect(tokens.invalidate).toHaveBeenCalledOnce();
    authorizer.refusedOnRetry(token, api);
    vi.setSystemTime(1_010_000 + 9_999);
    await authorizer.shouldRetry(token, api);
    expect(tokens.invalidate).toHaveBeenCalledOnce();
    vi.setSystemTime(1_010_000 + 10_000);
    await authorizer.shouldRetry(token, api);
    expect(tokens.invalidate).toHaveBeenCalledTimes(2);
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

describe('authorizeNow', () => {
  const hour = 3_600_000;
  let server: AuthServer;
  let clock: ManualClock;
  let tokens: TokenManager;

  beforeEach(async () => {
    server = await startAuthServer();
    clock = manualClock();
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
      now: clock.now,
      random: () => 0,
    });
  });

  afterEach(async () => {
    await tokens.close();
    await closeAllServers();
  });

  it('has nothing at hand before the first token: authorize waits for one', async () => {
    const authorizer = createAuthorizer({ tokens });
    expect(authorizer.authorizeNow('https://api.example.com/x')).toBeUndefined();
    const { headers } = await authorizer.authorize('https://api.example.com/x');
    expect(headers).toEqual({ Authorization: `Bearer ${server.issued[0]}` });
  });

  it('hands out the cached token and the static headers without waiting, as authorize would', async () => {
    const authorizer = createAuthorizer({ tokens, headers: { 'X-Tenant-Id': 't' } });
    const waited = await authorizer.authorize('https://api.example.com/x');
    const now = authorizer.authorizeNow('https://api.example.com/y');
    expect(now).toEqual(waited);
    expect(now?.token.accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('hands out a token due for renewal and starts one background renewal', async () => {
    const authorizer = createAuthorizer({ tokens });
    await authorizer.authorize('https://api.example.com/x');
    clock.advance(hour - 4 * 60_000); // inside the 5 min refresh-ahead window, outside the leeway
    expect(authorizer.authorizeNow('https://api.example.com/x')?.token.accessToken).toBe(
      server.issued[0],
    );
    expect(authorizer.authorizeNow('https://api.example.com/x')?.token.accessToken).toBe(
      server.issued[0],
    );
    await server.tokenRequestsReached(2);
    await until(
      () =>
        authorizer.authorizeNow('https://api.example.com/x')?.token.accessToken ===
        server.issued[1],
    );
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('has nothing at hand inside the leeway, nor with a header function, nor once closed', async () => {
    const withFunction = createAuthorizer({ tokens, headers: () => ({ 'X-Tenant-Id': 't' }) });
    const plain = createAuthorizer({ tokens });
    await plain.authorize('https://api.example.com/x');
    expect(withFunction.authorizeNow('https://api.example.com/x')).toBeUndefined();
    expect((await withFunction.authorize('https://api.example.com/x')).headers['X-Tenant-Id']).toBe(
      't',
    );
    clock.advance(hour - 20_000);
    expect(plain.authorizeNow('https://api.example.com/x')).toBeUndefined();
    await tokens.close();
    expect(plain.authorizeNow('https://api.example.com/x')).toBeUndefined();
    await expect(plain.authorize('https://api.example.com/x')).rejects.toMatchObject({
      code: ErrorCode.Closed,
    });
  });

  it('throws the reason of an aborted signal, like authorize', async () => {
    const authorizer = createAuthorizer({ tokens });
    await authorizer.authorize('https://api.example.com/x');
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(() => authorizer.authorizeNow('https://api.example.com/x', controller.signal)).toThrow(
      reason,
    );
    await expect(authorizer.authorize('https://api.example.com/x', controller.signal)).rejects.toBe(
      reason,
    );
  });

  it('is skipped for a manager without the fast path (a wrapper): authorize asks getToken', async () => {
    const wrapped = fakeManager();
    const authorizer = createAuthorizer({ tokens: wrapped });
    await authorizer.authorize('https://api.example.com/x');
    expect(authorizer.authorizeNow('https://api.example.com/x')).toBeUndefined();
    expect(wrapped.getToken).toHaveBeenCalledOnce();
  });
});
