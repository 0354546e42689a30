/**
 * The renewal code loads with the first renewal: a manager renews through it, and a load that
 * fails rejects each renewal with a TokenRequestError that carries the loader's error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import { createTokenManager } from '../token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';

function tokenEndpoint(): { fetch: typeof fetch; requests: () => number } {
  let requests = 0;
  const fetch: typeof globalThis.fetch = async () => {
    requests++;
    return Response.json({ access_token: `access-${requests}`, expires_in: 3600 });
  };
  return { fetch, requests: () => requests };
}

/**
 * A manager of freshly loaded modules whose renewal code loads as `load` says (a vitest mock
 * factory), and the token endpoint it would ask. Retrying failures at once.
 */
async function managerWhoseCodeLoads(load: () => Promise<never>) {
  vi.doMock('./renewal-code.ts', load);
  const { createTokenManager: create } = await import('../token-manager.ts');
  const { clientCredentials: cc } = await import('../flows/client-credentials.ts');
  const endpoint = tokenEndpoint();
  const flow = cc({ tokenUrl, clientId: 'c', clientSecret: 's' });
  return { tokens: create({ flow, fetch: endpoint.fetch, failureBackoffMs: 0 }), endpoint };
}

afterEach(() => {
  vi.doUnmock('./renewal-code.ts');
  vi.resetModules();
});

describe('the renewal code, loaded with the first renewal', () => {
  it('renews through the loaded code, and reuses it for the next renewal', async () => {
    const { withRenewalCode } = await import('./lazy-renewal.ts');
    const endpoint = tokenEndpoint();
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' }),
      fetch: endpoint.fetch,
    });
    expect((await tokens.getToken()).accessToken).toBe('access-1');
    expect((await tokens.getToken({ forceRefresh: true })).accessToken).toBe('access-2');
    // Loaded once: from now on handed over at once, not through a promise.
    let used = false;
    const using = withRenewalCode(async () => {
      used = true;
    }, new AbortController().signal);
    expect(used).toBe(true);
    await using;
    expect(endpoint.requests()).toBe(2);
  });

  it('rejects every renewal with a TokenRequestError when the code cannot load', async () => {
    const { tokens, endpoint } = await managerWhoseCodeLoads(() => {
      throw new Error('the chunk renewal-code.js is missing');
    });
    const { TokenRequestError } = await import('../errors.ts');
    for (let renewal = 0; renewal < 2; renewal++) {
      const failure = await tokens.getToken().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TokenRequestError);
      expect(failure).toMatchObject({
        code: 'ERR_TOKEN_NETWORK',
        message: expect.stringMatching(/could not load its token request code/),
        // vitest wraps the factory's error; a bundle's failed chunk load is the cause itself.
        cause: { cause: { message: 'the chunk renewal-code.js is missing' } },
      });
    }
    expect(endpoint.requests()).toBe(0);
  });

  it('lets close() end the wait for a load that never settles', async () => {
    const { tokens, endpoint } = await managerWhoseCodeLoads(() => new Promise(() => {}));
    const { ManagerClosedError } = await import('../manager-errors.ts');
    const waiting = tokens.getToken().catch((error: unknown) => error);
    await tokens.close(); // settles: before the fix it waited for the load forever
    expect(await waiting).toBeInstanceOf(ManagerClosedError);
    expect(endpoint.requests()).toBe(0);
  });
});
