/**
 * Interop with oidc-provider: the authorization code grant (with PKCE), driven by a scripted
 * login and consent, then refresh_token renewals on expiry with rotation, and a reused (rotated)
 * refresh token surfacing invalid_grant; through fetch, axios, got and ky.
 */
import {
  authorizationCode,
  createPkcePair,
  createTokenManager,
  ReauthorizationRequiredError,
  refreshToken,
  TokenEndpointError,
} from '@tokenwise/core';
import { expect, test } from 'vitest';
import { clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { renderings } from '../test-support/renderings.ts';
import { startOidcServer } from './oidc-server.ts';

test('code exchange, refresh on expiry with rotation, invalid_grant on reuse, through every adapter', async () => {
  await Promise.all(
    clientNames.map(async (name) => {
      const server = defer(await startOidcServer({ accessTokenTtl: 2 }));
      const { clientId, clientSecret, redirectUri } = server.app;
      const pkce = await createPkcePair();
      const code = await server.authorize({
        codeChallenge: pkce.codeChallenge,
        accountId: `user-${name}`,
      });
      const saved: (string | undefined)[] = [];
      const tokens = defer(
        createTokenManager({
          flow: authorizationCode({
            tokenUrl: server.tokenUrl,
            clientId,
            clientSecret,
            code,
            redirectUri,
            codeVerifier: pkce.codeVerifier,
          }),
          onTokenChange: (token) => {
            saved.push(token.refreshToken);
          },
        }),
      );
      const call = plainCaller(name, tokens, server.apiUrl);

      expect(await call('me'), name).toEqual({
        path: '/me',
        clientId,
        sub: `user-${name}`,
        scope: 'openid offline_access',
      });
      const first = await tokens.getToken();
      expect(first.refreshToken, name).toBeDefined();

      // Past the token's end on our clock, and on the provider's.
      await new Promise((resolve) => setTimeout(resolve, (first.expiresAt ?? 0) - Date.now() + 20));
      await server.untilInactive(first.accessToken);
      expect(await call('me'), name).toMatchObject({ sub: `user-${name}` });
      const second = await tokens.getToken();
      expect(second.accessToken, name).not.toBe(first.accessToken);
      expect(second.refreshToken, name).toBeDefined();
      expect(second.refreshToken, name).not.toBe(first.refreshToken); // rotated
      expect(saved, name).toEqual([first.refreshToken, second.refreshToken]);
      expect(server.stats, name).toMatchObject({
        grants: ['authorization_code', 'refresh_token'],
        apiRejected: 0,
      });

      // The rotated-away refresh token, replayed (say, from a stale backup), is refused.
      const replay = defer(
        createTokenManager({
          flow: refreshToken({
            tokenUrl: server.tokenUrl,
            clientId,
            clientSecret,
            refreshToken: first.refreshToken ?? '',
          }),
        }),
      );
      const error: unknown = await replay.getToken().catch((caught: unknown) => caught);
      expect(error instanceof ReauthorizationRequiredError, name).toBe(true);
      expect((error as Error).cause instanceof TokenEndpointError, name).toBe(true);
      expect(error, name).toMatchObject({
        code: 'ERR_REAUTHORIZATION_REQUIRED',
        status: 400,
        error: 'invalid_grant',
      });
      const shown = renderings(error);
      expect(shown, name).not.toContain(first.refreshToken);
      expect(shown, name).not.toContain(clientSecret);
      expect(server.stats.serverErrors, name).toEqual([]);
    }),
  );
});
