import { verifyDpopProof } from '@tokenwise/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { issuedAuthorization } from '../authorization.ts';
import { createAuthorizer } from '../authorizer.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Token } from '../token.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';
import { redirectStepFor } from './redirect-proofs.ts';

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** A manager created with `dpop`, whose token endpoint answers tokens of `tokenType`. */
function dpopManager(tokenType = 'DPoP'): TokenManager {
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'app',
      clientSecret: 'secret-41c2',
    }),
    dpop: true,
    fetch: async () => Response.json({ access_token: 'at-1', token_type: tokenType }),
  });
  managers.push(tokens);
  return tokens;
}

describe('redirectStepFor', () => {
  it("makes each hop's proof for its URL and method, with a fresh jti and the same ath", async () => {
    const tokens = dpopManager();
    const authorizer = createAuthorizer({ tokens });
    const first = 'https://api.example.com/start';
    const authorization = await authorizer.authorize({
      url: first,
      method: 'POST',
      headers: new Headers(),
    });
    const step = redirectStepFor(authorization);
    const hop = await step?.({ url: 'https://api.example.com/next?page=2', method: 'GET' });
    expect(hop?.Authorization).toBe('DPoP at-1');
    const seenJtis = new Set<string>();
    const sent = verifyDpopProof(authorization.headers.DPoP, {
      method: 'POST',
      url: first,
      accessToken: 'at-1',
      seenJtis,
    });
    const hopped = verifyDpopProof(hop?.DPoP, {
      method: 'GET',
      url: 'https://api.example.com/next',
      accessToken: 'at-1',
      jkt: sent.jkt,
      seenJtis,
    });
    expect(hopped.claims.htu).toBe('https://api.example.com/next');
    expect(hopped.claims.ath).toBe(sent.claims.ath);
  });

  it('gives no step for a Bearer token from a DPoP manager (a server that did not bind it)', async () => {
    const authorizer = createAuthorizer({ tokens: dpopManager('Bearer') });
    const authorization = await authorizer.authorize('https://api.example.com/start');
    expect(authorization.headers.Authorization).toBe('Bearer at-1');
    expect(redirectStepFor(authorization)).toBeUndefined();
  });

  it('gives no step for a DPoP header of a manager created without dpop', () => {
    const token = { accessToken: 't', tokenType: 'DPoP' } as Token;
    const headers = { Authorization: 'DPoP t', DPoP: 'proof' };
    const authorization = issuedAuthorization({} as TokenManager, token, headers);
    expect(redirectStepFor(authorization)).toBeUndefined();
  });
});
