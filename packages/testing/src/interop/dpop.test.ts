/**
 * DPoP (RFC 9449) against oidc-provider 9 with its `dPoP` feature: tokens bound to the manager's
 * key (`cnf.jkt`), with and without required nonces (`nonceSecret` + `requireNonce`), and a
 * resource server that verifies every proof per §7 (test-kit's `verifyDpopProof`: signature,
 * `typ`, `alg`, `htm`, `htu`, `iat`, `jti` replay, `ath`, `cnf.jkt`, its own nonce), through
 * fetch, axios, got and ky, also on each hop of a redirect on the API's origin.
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { type OidcServer, startOidcServer } from './oidc-server.ts';

function dpopManager(server: OidcServer): TokenManager {
  return defer(
    createTokenManager({
      flow: clientCredentials({ tokenUrl: server.tokenUrl, ...server.basic }),
      dpop: true,
    }),
  );
}

/** The thumbprint a manager's store key ends with: the key its tokens are bound to. */
async function thumbprintOf(tokens: TokenManager): Promise<string> {
  return (await tokens.cacheKey()).replace(/^.*:dpop:/, '');
}

describe.each([
  ['nonces not required', false],
  ['nonces required (nonceSecret, requireNonce)', true],
])('oidc-provider with DPoP, %s', (_, dpopNonces) => {
  test('the token is DPoP and bound to the manager key; a second token request reuses the nonce', async () => {
    const server = defer(await startOidcServer({ dpopNonces }));
    const tokens = dpopManager(server);
    const token = await tokens.getToken();
    expect(token.tokenType).toBe('DPoP');
    const claims = await server.introspect(token.accessToken);
    expect(claims).toMatchObject({ active: true, cnf: { jkt: await thumbprintOf(tokens) } });
    await tokens.getToken({ forceRefresh: true });
    expect(server.stats).toMatchObject({
      grants: ['client_credentials', 'client_credentials'],
      // The first request learns the nonce from a 400 use_dpop_nonce; the second already has it.
      grantErrors: dpopNonces ? ['use_dpop_nonce'] : [],
      serverErrors: [],
    });
  });

  test.each(clientNames)(
    'through %s: each request carries a fresh proof the API accepts',
    async (name) => {
      const server = defer(await startOidcServer({ dpopNonces }));
      const tokens = dpopManager(server);
      const call = plainCaller(name, tokens, server.apiUrl);
      expect(await call('reports?page=2')).toMatchObject({ path: '/reports' });
      expect(await call('reports')).toMatchObject({ path: '/reports' });
      expect(server.dpop).toMatchObject({ proofsAccepted: 2, refusals: [], nonceChallenges: 0 });
      expect(server.stats).toMatchObject({
        grants: ['client_credentials'],
        apiRejected: 0,
        serverErrors: [],
      });
    },
  );
});

describe.each([
  ['nonces not required', false],
  ['nonces required', true],
])('an API redirect on its own origin, %s', (_, requireNonce) => {
  test.each(clientNames)(
    'through %s: each hop carries a fresh proof for its own URL, which the API checks strictly',
    async (name) => {
      const server = defer(await startOidcServer());
      server.dpop.requireNonce = requireNonce;
      const call = plainCaller(name, dpopManager(server), server.apiUrl);
      expect(await call('redirect/307/redirect/302/reports?page=2')).toMatchObject({
        path: '/reports',
      });
      expect(server.dpop).toMatchObject({
        proofsAccepted: 3,
        refusals: [],
        nonceChallenges: requireNonce ? 1 : 0,
      });
      expect(server.stats).toMatchObject({ grants: ['client_credentials'], serverErrors: [] });
    },
  );
});

test.each(clientNames)(
  'through %s: an API nonce challenge is answered once with the nonce, without a token request',
  async (name) => {
    const server = defer(await startOidcServer());
    server.dpop.requireNonce = true;
    const tokens = dpopManager(server);
    const call = plainCaller(name, tokens, server.apiUrl);
    expect(await call('reports')).toMatchObject({ path: '/reports' });
    // The nonce is remembered: the next request carries it at once.
    expect(await call('reports')).toMatchObject({ path: '/reports' });
    // A new nonce: challenged once more, re-sent once more.
    server.dpop.rotateNonce();
    expect(await call('reports')).toMatchObject({ path: '/reports' });
    expect(server.dpop).toMatchObject({ nonceChallenges: 2, proofsAccepted: 3, refusals: [] });
    expect(server.stats).toMatchObject({
      grants: ['client_credentials'],
      apiCalls: 5,
      serverErrors: [],
    });
  },
);
