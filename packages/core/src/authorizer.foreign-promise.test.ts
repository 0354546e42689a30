/**
 * A manager is any object with `getToken` and `invalidate`: one that hands out another library's
 * or another realm's promises still has its token attached, by createAuthFetch and the authorizer
 * (which tell an authorization from a promise of one by `instanceof Promise`).
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { createAuthorizer } from './authorizer.ts';
import { fakeManager } from './test-support/fake-manager.ts';
import type { Token } from './token.ts';

const url = 'https://api.example.com/members';

/** A manager whose `getToken` resolves through a promise made in another realm. */
function foreignRealmManager() {
  const tokens = fakeManager({ accessToken: 'foreign-token' });
  const native = tokens.getToken.getMockImplementation();
  tokens.getToken.mockImplementation(
    (options) =>
      runInNewContext('(made) => new Promise((resolve) => made.then(resolve))')(
        native?.(options),
      ) as Promise<Token>,
  );
  return tokens;
}

describe('a manager handing out promises of another realm', () => {
  it('the promise is not one of this realm (what the other tests rely on)', () => {
    expect(foreignRealmManager().getToken()).not.toBeInstanceOf(Promise);
  });

  it('createAuthFetch sends its token, on the first request and on later ones', async () => {
    const sent: (string | null)[] = [];
    const authFetch = createAuthFetch({
      tokens: foreignRealmManager(),
      fetch: async (_input, init) => {
        sent.push(new Headers(init?.headers).get('authorization'));
        return new Response('ok');
      },
    });
    await authFetch(url);
    await authFetch(url);
    expect(sent).toEqual(['Bearer foreign-token', 'Bearer foreign-token']);
  });

  it('authorize() hands out an authorization or a promise of this realm, never the foreign one', async () => {
    const authorizer = createAuthorizer({ tokens: foreignRealmManager() });
    for (let request = 0; request < 3; request++) {
      const authorized = authorizer.authorize(url);
      const authorization = authorized instanceof Promise ? await authorized : authorized;
      expect(authorization.headers).toEqual({ Authorization: 'Bearer foreign-token' });
    }
  });
});
