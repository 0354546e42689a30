import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type AuthOptions, createAuthorizer } from './authorizer.ts';
import { ErrorCode, TokenEndpointError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { type ManualClock, manualClock, until } from './test-support/async.ts';
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
    [Symbol.asyncDispose]: async () => {},
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
  const fresh: Token = { ...token, accessToken: 'fresh-token' };
  const api = 'https://api.example.com/admin?page=1';

  it('invalidates exactly the token that was sent and says to retry', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, { url: api })).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('retries even when another request already replaced the token', async () => {
    const tokens = fakeManager();
    tokens.invalidate.mockResolvedValueOnce(false);
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, { url: api })).toBe(true);
  });

  it('neither invalidates nor retries with retryOn401: false', async () => {
    const tokens = fakeManager();
    expect(
      await createAuthorizer({ tokens, retryOn401: false }).shouldRetry(token, api, { url: api }),
    ).toBe(false);
    expect(tokens.invalidate).not.toHaveBeenCalled();
  });

  it.each([
    ['a cross-origin redirect target', 'https://elsewhere.example/landing'],
    ['another port', 'https://api.example.com:8443/admin'],
    ['another scheme', 'http://api.example.com/admin'],
  ])('neither invalidates nor retries a 401 answered from %s', async (_, answeredFrom) => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    expect(await authorizer.shouldRetry(token, api, { url: answeredFrom })).toBe(false);
    authorizer.refusedOnRetry(fresh, api, { url: answeredFrom }); // no cool-down either
    expect(await authorizer.shouldRetry(token, api, { url: api })).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('neither invalidates nor cools down for a 401 to a request whose token a redirect guard dropped, even on the request’s origin', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    // api → elsewhere (token dropped) → back to api: the 401 comes from api's origin, tokenless.
    const bounced = { url: api, tokenDroppedAt: 'https://elsewhere.example/bounce' };
    expect(await authorizer.shouldRetry(token, api, bounced)).toBe(false);
    authorizer.refusedOnRetry(fresh, api, bounced);
    expect(tokens.invalidate).not.toHaveBeenCalled();
    expect(await authorizer.shouldRetry(token, api, { url: api })).toBe(true); // no cool-down
  });

  it('takes an unknown final URL (a fetch stub answers with url "") for the request’s own', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, { url: '' })).toBe(true);
  });

  it('re-sends the concurrent 401s of a token already dropped without another renewal', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        authorizer.shouldRetry(token, `${api}&n=${i}`, { url: api }),
      ),
    );
    expect(answers).toEqual([true, true, true, true, true]);
    // Compare-and-invalidate: only the first call can drop it; the others find it gone.
    expect(tokens.invalidate.mock.calls).toEqual(Array(5).fill(['sent-token']));
  });

  it('stops re-authorizing for 30 s once the re-sent request’s fresh token is refused, for every URL', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    expect(await authorizer.shouldRetry(token, api, { url: api })).toBe(true);
    authorizer.refusedOnRetry(fresh, api, { url: api });
    vi.setSystemTime(1_000_000 + 29_999);
    expect(await authorizer.shouldRetry(fresh, 'https://api.example.com/users', { url: api })).toBe(
      false,
    );
    expect(await authorizer.shouldRetry(token, api, { url: api })).toBe(false);
    expect(tokens.invalidate).toHaveBeenCalledOnce();
    // A token revoked for good is renewed once the cool-down is over.
    vi.setSystemTime(1_000_000 + 30_000);
    expect(await authorizer.shouldRetry(fresh, api, { url: api })).toBe(true);
    expect(tokens.invalidate).toHaveBeenLastCalledWith('fresh-token');
    expect(tokens.invalidate).toHaveBeenCalledTimes(2);
  });

  it('renews at most twice within 30 s for 401s to first attempts, then cools down', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const rejected = (accessToken: string): Promise<boolean> =>
      authorizer.shouldRetry({ ...token, accessToken }, api, { url: api });
    expect(await rejected('first')).toBe(true);
    // A token revoked again right after it was renewed is renewed once more.
    vi.setSystemTime(1_000_000 + 10_000);
    expect(await rejected('second')).toBe(true);
    expect(await rejected('first')).toBe(true); // a late 401 of a token already dropped
    vi.setSystemTime(1_000_000 + 29_999);
    expect(await rejected('third')).toBe(false); // a third renewal within 30 s: cooling down
    expect(tokens.invalidate.mock.calls).toEqual([['first'], ['second'], ['first']]);
    vi.setSystemTime(1_000_000 + 29_999 + 29_999);
    expect(await rejected('third')).toBe(false);
    // Once the cool-down is over, a revoked token is renewed again.
    vi.setSystemTime(1_000_000 + 29_999 + 30_000);
    expect(await rejected('third')).toBe(true);
    expect(tokens.invalidate).toHaveBeenLastCalledWith('third');
  });

  it('bounds re-authorization per manager: authorizers sharing one share it, others do not', async () => {
    const shared = fakeManager();
    const other = fakeManager();
    const first = createAuthorizer({ tokens: shared }, 'https://api.example.com');
    const second = createAuthorizer({ tokens: shared, headers: { 'X-Tenant-Id': 'acme' } });
    const unrelated = createAuthorizer({ tokens: other });
    expect(await first.shouldRetry(token, api, { url: api })).toBe(true);
    first.refusedOnRetry(fresh, api, { url: api });
    expect(await second.shouldRetry(fresh, 'https://other.example/x', { url: '' })).toBe(false);
    expect(shared.invalidate).toHaveBeenCalledOnce();
    expect(await unrelated.shouldRetry(token, api, { url: api })).toBe(true);
    expect(other.invalidate).toHaveBeenCalledOnce();
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
  let server: LoopbackServer;
  let clock: ManualClock;
  let tokens: TokenManager;

  beforeEach(async () => {
    server = await startServer();
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
