/**
 * Interop with oidc-provider, an independently written authorization server: client credentials
 * with client_secret_basic and client_secret_post, opaque tokens checked by a resource server
 * through introspection, revocation, expiry and renewal, and invalid_client; through fetch, axios,
 * got and ky.
 */
import {
  type ClientAuth,
  clientCredentials,
  createTokenManager,
  TokenEndpointError,
} from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { clientNames, rejectionOf } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { renderings } from '../test-support/renderings.ts';
import { type OidcServer, startOidcServer } from './oidc-server.ts';

const methods = ['client_secret_basic', 'client_secret_post'] as const satisfies ClientAuth[];
const credentialsFor = (server: OidcServer, method: ClientAuth) =>
  method === 'client_secret_basic' ? server.basic : server.post;

describe.each(methods)('client_credentials with %s', (method) => {
  test.each(clientNames)(
    'through %s: token, API call via introspection, revocation',
    async (name) => {
      const server = defer(await startOidcServer());
      const tokens = defer(
        createTokenManager({
          flow: clientCredentials({
            tokenUrl: server.tokenUrl,
            ...credentialsFor(server, method),
            clientAuth: method,
          }),
        }),
      );
      const call = plainCaller(name, tokens, server.apiUrl);

      expect(await call('reports')).toEqual({
        path: '/reports',
        clientId: credentialsFor(server, method).clientId,
      });
      await call('reports');
      const token = await tokens.getToken();
      expect(token).toMatchObject({ tokenType: 'Bearer' });
      expect(token.expiresAt).toBeGreaterThan(Date.now() + 290_000);
      expect(server.stats).toMatchObject({
        grants: ['client_credentials'],
        introspections: 2,
        apiRejected: 0,
      });

      await server.revoke(token.accessToken, credentialsFor(server, method));
      expect(await call('reports')).toMatchObject({ path: '/reports' });
      expect(server.stats).toMatchObject({
        grants: ['client_credentials', 'client_credentials'],
        apiCalls: 4,
        apiRejected: 1,
        serverErrors: [],
      });
    },
  );

  test.each(clientNames)(
    'through %s: a wrong secret is invalid_client, typed, secret-free',
    async (name) => {
      const server = defer(await startOidcServer());
      const { clientId, clientSecret } = credentialsFor(server, method);
      const wrong = `${clientSecret}-but-wrong`;
      const tokens = defer(
        createTokenManager({
          flow: clientCredentials({
            tokenUrl: server.tokenUrl,
            clientId,
            clientSecret: wrong,
            clientAuth: method,
          }),
        }),
      );

      const error = await rejectionOf(plainCaller(name, tokens, server.apiUrl)('reports'));
      expect(error instanceof TokenEndpointError).toBe(true);
      expect(error).toMatchObject({
        code: 'ERR_TOKEN_ENDPOINT',
        status: 401,
        error: 'invalid_client',
        errorDescription: 'client authentication failed',
      });
      expect(renderings(error)).not.toContain(clientSecret);
      expect(server.stats).toMatchObject({ grantErrors: ['invalid_client'], apiCalls: 0 });
    },
  );
});

test('2 s tokens expire at the provider and are renewed before use, through every adapter', async () => {
  await Promise.all(
    clientNames.map(async (name) => {
      const server = defer(await startOidcServer({ accessTokenTtl: 2 }));
      const tokens = defer(
        createTokenManager({
          flow: clientCredentials({
            tokenUrl: server.tokenUrl,
            ...server.basic,
            clientAuth: 'client_secret_basic',
          }),
        }),
      );
      const call = plainCaller(name, tokens, server.apiUrl);
      await call('reports');
      const first = await tokens.getToken();
      expect(first.expiresAt, name).toBeDefined();

      // Past the token's end on our clock, and on the provider's.
      await new Promise((resolve) => setTimeout(resolve, (first.expiresAt ?? 0) - Date.now() + 20));
      await server.untilInactive(first.accessToken);

      expect(await call('reports'), name).toMatchObject({ path: '/reports' });
      expect((await tokens.getToken()).accessToken, name).not.toBe(first.accessToken);
      expect(server.stats, name).toMatchObject({
        grants: ['client_credentials', 'client_credentials'],
        apiCalls: 2,
        apiRejected: 0,
        serverErrors: [],
      });
    }),
  );
});
