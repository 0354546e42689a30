import { afterEach, describe, expect, test } from 'vitest';
import { TokenResponseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';
import { MemoryTokenStore } from './token-store.ts';

const tokenUrl = 'https://auth.example.com/token';

const flows: Record<string, () => Flow> = {
  clientCredentials: () =>
    clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret: 'secret-1a2b' }),
  'tokenRequest (field map)': () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'key-9f8e7d' },
      response: { accessToken: 'access_token', tokenType: 'token_type', expiresIn: 'expires_in' },
    }),
};

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** A manager whose token endpoint answers `fields` beside an access token, counting requests. */
function managerAnswering(flow: Flow, fields: Record<string, unknown>) {
  const store = new MemoryTokenStore();
  const calls = { count: 0 };
  const tokens = createTokenManager({
    flow,
    store,
    now: manualClock().now,
    retry: false,
    failureBackoffMs: 0,
    fetch: async () => {
      calls.count++;
      return Response.json({ access_token: `at-${calls.count}-7c1d`, expires_in: 3600, ...fields });
    },
  });
  managers.push(tokens);
  return { tokens, store, calls };
}

// Bearer in any case, and a missing token_type, stay Bearer: seeds.priava.test.ts covers Priava's
// "BEARER" and Papaya's answer without token_type, flows/flows.end-to-end.test.ts a form answer's "bearer".
describe.each(Object.entries(flows))('%s', (_, flow) => {
  test.each(['DPoP', 'dpop', 'MAC', 'PoP', 'N_A', 'Basic', 'bearer2', 'Bearer-DPoP'])(
    'a token_type %s is a TokenResponseError naming it, and nothing is cached',
    async (type) => {
      const { tokens, store, calls } = managerAnswering(flow(), { token_type: type });
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error instanceof TokenResponseError, String(error)).toBe(true);
      expect(error).toMatchObject({ status: 200, code: 'ERR_TOKEN_RESPONSE' });
      expect((error as Error).message).toContain(`"${type}"`);
      expect((error as Error).message).toMatch(/RFC 6749 §7\.1/);
      expect(await store.get(await tokens.cacheKey())).toBeUndefined();
      // Not cached in memory either: the next call asks the endpoint again.
      await tokens.getToken().catch(() => {});
      expect(calls.count).toBe(2);
    },
  );
});
