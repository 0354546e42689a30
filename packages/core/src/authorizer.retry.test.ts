/**
 * What an authorizer does with a 401: which token it invalidates, when it says to re-send, and
 * how it bounds re-authorization per manager with a 30 s cool-down.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Authorization } from './authorization.ts';
import { createAuthorizer } from './authorizer.ts';
import type { Answer } from './redirect-guard.ts';
import { fakeManager } from './test-support/fake-manager.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('shouldRetry', () => {
  const sent = { accessToken: 'sent-token', tokenType: 'Bearer', raw: {} };
  const token: Authorization = { token: sent, headers: {} };
  const fresh: Authorization = { token: { ...sent, accessToken: 'fresh-token' }, headers: {} };
  /** A 401 answered from `url`. */
  const at = (url: string, tokenDroppedAt?: string): Answer => ({
    url,
    status: 401,
    headers: new Headers(),
    ...(tokenDroppedAt !== undefined && { tokenDroppedAt }),
  });
  const api = 'https://api.example.com/admin?page=1';

  it('invalidates exactly the token that was sent and says to retry', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, at(api))).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('retries even when another request already replaced the token', async () => {
    const tokens = fakeManager();
    tokens.invalidate.mockResolvedValueOnce(false);
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, at(api))).toBe(true);
  });

  it('neither invalidates nor retries with retryOn401: false', async () => {
    const tokens = fakeManager();
    expect(
      await createAuthorizer({ tokens, retryOn401: false }).shouldRetry(token, api, at(api)),
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
    expect(await authorizer.shouldRetry(token, api, at(answeredFrom))).toBe(false);
    authorizer.refusedOnRetry(fresh, api, at(answeredFrom)); // no cool-down either
    expect(await authorizer.shouldRetry(token, api, at(api))).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('sent-token');
  });

  it('neither invalidates nor cools down for a 401 to a request whose token a redirect guard dropped, even on the request’s origin', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    // api → elsewhere (token dropped) → back to api: the 401 comes from api's origin, tokenless.
    const bounced = at(api, 'https://elsewhere.example/bounce');
    expect(await authorizer.shouldRetry(token, api, bounced)).toBe(false);
    authorizer.refusedOnRetry(fresh, api, bounced);
    expect(tokens.invalidate).not.toHaveBeenCalled();
    expect(await authorizer.shouldRetry(token, api, at(api))).toBe(true); // no cool-down
  });

  it('takes an unknown final URL (a fetch stub answers with url "") for the request’s own', async () => {
    const tokens = fakeManager();
    expect(await createAuthorizer({ tokens }).shouldRetry(token, api, at(''))).toBe(true);
  });

  it('re-sends the concurrent 401s of a token already dropped without another renewal', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => authorizer.shouldRetry(token, `${api}&n=${i}`, at(api))),
    );
    expect(answers).toEqual([true, true, true, true, true]);
    // Compare-and-invalidate: only the first call can drop it; the others find it gone.
    expect(tokens.invalidate.mock.calls).toEqual(Array(5).fill(['sent-token']));
  });

  it('stops re-authorizing for 30 s once the re-sent request’s fresh token is refused, for every URL', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    expect(await authorizer.shouldRetry(token, api, at(api))).toBe(true);
    authorizer.refusedOnRetry(fresh, api, at(api));
    vi.setSystemTime(1_000_000 + 29_999);
    expect(await authorizer.shouldRetry(fresh, 'https://api.example.com/users', at(api))).toBe(
      false,
    );
    expect(await authorizer.shouldRetry(token, api, at(api))).toBe(false);
    expect(tokens.invalidate).toHaveBeenCalledOnce();
    // A token revoked for good is renewed once the cool-down is over.
    vi.setSystemTime(1_000_000 + 30_000);
    expect(await authorizer.shouldRetry(fresh, api, at(api))).toBe(true);
    expect(tokens.invalidate).toHaveBeenLastCalledWith('fresh-token');
    expect(tokens.invalidate).toHaveBeenCalledTimes(2);
  });

  it('renews at most twice within 30 s for 401s to first attempts, then cools down', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const rejected = (accessToken: string): Promise<boolean> =>
      authorizer.shouldRetry({ token: { ...sent, accessToken }, headers: {} }, api, at(api));
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
    expect(await first.shouldRetry(token, api, at(api))).toBe(true);
    first.refusedOnRetry(fresh, api, at(api));
    expect(await second.shouldRetry(fresh, 'https://other.example/x', at(''))).toBe(false);
    expect(shared.invalidate).toHaveBeenCalledOnce();
    expect(await unrelated.shouldRetry(token, api, at(api))).toBe(true);
    expect(other.invalidate).toHaveBeenCalledOnce();
  });
});
