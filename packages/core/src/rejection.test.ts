/**
 * What an adapter does with an answer its authorizer wants re-sent: one re-authorization per call,
 * the rejection of a fresh token reported, and which manager's token is dropped when `tokens`
 * chooses one per request.
 */
import { describe, expect, it } from 'vitest';
import { describeRequest } from './auth-request.ts';
import { createAuthorizer } from './authorizer.ts';
import type { Answer } from './redirect-guard.ts';
import { onRejected, ResendBudget } from './rejection.ts';
import { fakeManager } from './test-support/fake-manager.ts';

const url = 'https://api.example.com/members';
const request = describeRequest(url, 'get', () => new Headers());
const answer: Answer = { url, status: 401, headers: new Headers() };

describe('onRejected', () => {
  it('re-authorizes a first rejection once: drops the token it carried and counts the re-send', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const authorization = await authorizer.authorize(request);
    const resends = new ResendBudget();
    const rejection = { authorization, request, answer, resends, replayable: true };
    expect(await onRejected(authorizer, rejection)).toBe(true);
    expect(tokens.invalidate).toHaveBeenCalledExactlyOnceWith('access-1');
    expect([resends.count, resends.reauthorized]).toEqual([1, true]);
  });

  it('returns the rejection of a body that cannot be sent again, and keeps the token', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const authorization = await authorizer.authorize(request);
    const resends = new ResendBudget();
    const rejection = { authorization, request, answer, resends, replayable: false };
    expect(await onRejected(authorizer, rejection)).toBe(false);
    expect(tokens.invalidate).not.toHaveBeenCalled();
    expect(resends.count).toBe(0);
  });

  it('returns the re-send’s rejection and cools re-authorization down for the manager', async () => {
    const tokens = fakeManager();
    const authorizer = createAuthorizer({ tokens });
    const authorization = await authorizer.authorize(request);
    const resends = new ResendBudget();
    const first = { authorization, request, answer, resends, replayable: true };
    expect(await onRejected(authorizer, first)).toBe(true);
    expect(await onRejected(authorizer, first)).toBe(false); // the fresh token, refused
    expect(resends.count).toBe(1);
    // Cooling down: another call's first rejection is returned, and nothing more is dropped.
    const next = { ...first, resends: new ResendBudget() };
    expect(await onRejected(authorizer, next)).toBe(false);
    expect(tokens.invalidate).toHaveBeenCalledOnce();
  });

  it('drops the token in the manager the tokens function chose, and bounds each manager alone', async () => {
    const acme = fakeManager({ accessToken: 'acme-token' });
    const globex = fakeManager({ accessToken: 'globex-token' });
    const authorizer = createAuthorizer({
      tokens: ({ headers }) => (headers.get('x-tenant') === 'acme' ? acme : globex),
    });
    const of = (tenant: string) =>
      describeRequest(url, 'GET', () => new Headers({ 'X-Tenant': tenant }));
    const rejected = async (tenant: string) => {
      const authorization = await authorizer.authorize(of(tenant));
      const resends = new ResendBudget();
      const rejection = { authorization, request: of(tenant), answer, resends, replayable: true };
      expect(await onRejected(authorizer, rejection)).toBe(true);
      return onRejected(authorizer, rejection); // the re-send refused too: acme cools down
    };
    expect(await rejected('acme')).toBe(false);
    expect(acme.invalidate).toHaveBeenCalledExactlyOnceWith('acme-token');
    expect(globex.invalidate).not.toHaveBeenCalled();
    // globex is not cooling down: its first rejection still re-authorizes.
    const authorization = await authorizer.authorize(of('globex'));
    const rejection = {
      authorization,
      request: of('globex'),
      answer,
      resends: new ResendBudget(),
      replayable: true,
    };
    expect(await onRejected(authorizer, rejection)).toBe(true);
    expect(globex.invalidate).toHaveBeenCalledExactlyOnceWith('globex-token');
  });
});
