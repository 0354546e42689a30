/**
 * The renewal code loads with the first renewal: a manager renews through it, and a load that
 * fails rejects that renewal with the load's error while the next renewal loads it again.
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
    });
    expect(used).toBe(true);
    await using;
    expect(endpoint.requests()).toBe(2);
  });

  it('rejects the renewal with the error of a failed load, and loads again for the next one', async () => {
    vi.doMock('./renewal-code.ts', () => {
      throw new Error('the chunk renewal-code.js is missing');
    });
    const { createTokenManager: create } = await import('../token-manager.ts');
    const { clientCredentials: cc } = await import('../flows/client-credentials.ts');
    const endpoint = tokenEndpoint();
    const tokens = create({
      flow: cc({ tokenUrl, clientId: 'c', clientSecret: 's' }),
      fetch: endpoint.fetch,
      failureBackoffMs: 0,
    });
    // vitest wraps the factory's error; a bundle's failed chunk load rejects with its own.
    await expect(tokens.getToken()).rejects.toMatchObject({
      cause: { message: 'the chunk renewal-code.js is missing' },
    });
    expect(endpoint.requests()).toBe(0);
    vi.doUnmock('./renewal-code.ts');
    expect((await tokens.getToken()).accessToken).toBe('access-1');
  });
});
