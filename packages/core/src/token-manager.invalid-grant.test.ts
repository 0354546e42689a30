/**
 * `invalid_grant` on a refresh: re-authorization is required, the refresh token is dropped and
 * no further request is made; for client credentials it is an ordinary endpoint error.
 */
import { clientId, clientSecret } from '@tokenwise/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { ReauthorizationRequiredError } from './manager-errors.ts';
import {
  clock,
  grants,
  manage,
  rtFlow,
  server,
  useManagerFixture,
} from './test-support/manager-fixture.ts';
import { MemoryTokenStore } from './token-store.ts';

useManagerFixture();

describe('invalid_grant on refresh', () => {
  it('refreshToken flow: ERR_REAUTHORIZATION_REQUIRED, refresh token cleared, no further requests', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const tokens = manage({ flow: await rtFlow(), store });
    const first = await tokens.getToken();
    const key = await tokens.cacheKey();
    expect((await store.get(key))?.refreshToken).toBeDefined();
    server.script({ status: 400, body: { error: 'invalid_grant', error_description: 'revoked' } });

    const error = await tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect((error as ReauthorizationRequiredError).cause).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
      status: 400,
      error: 'invalid_grant',
    });
    expect((error as Error).message).toMatch(/re-authorization is required/);
    // The refresh token is gone from the store; the access token is still valid, so it stays.
    const kept = await store.get(key);
    expect(kept?.accessToken).toBe(first.accessToken);
    expect(kept?.refreshToken).toBeUndefined();
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken);

    clock.advance(3_600_000); // past expiry: nothing left to renew with
    for (const step of [0, 1_000, 2_000, 4_000]) {
      clock.advance(step);
      await expect(tokens.getToken()).rejects.toMatchObject({
        code: 'ERR_REAUTHORIZATION_REQUIRED',
      });
    }
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a failing background refresh with invalid_grant keeps serving the valid access token', async () => {
    const onError = vi.fn();
    const tokens = manage({ flow: await rtFlow(), refreshAheadMs: 600_000, onError });
    const first = await tokens.getToken();
    server.script({ status: 400, body: { error: 'invalid_grant' } });
    clock.advance(3_000_000); // stale: inside the refresh-ahead window, well before expiry
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken); // starts the refresh
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken);
    clock.advance(600_000);
    await expect(tokens.getToken()).rejects.toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('authorizationCode flow: the code is exchanged once, then invalid_grant needs re-authorization', async () => {
    const redirectUri = 'https://app.example/callback';
    await server.acceptCode('code-9d2', { redirectUri });
    const store = new MemoryTokenStore({ now: clock.now });
    const tokens = manage({
      store,
      flow: authorizationCode({
        tokenUrl: server.tokenUrl,
        clientId,
        clientSecret,
        code: 'code-9d2',
        redirectUri,
      }),
    });
    const first = await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(grants()).toEqual(['authorization_code', 'refresh_token']);
    expect(server.tokenRequests[0]?.params).toMatchObject({
      code: 'code-9d2',
      redirect_uri: 'https://app.example/callback',
    });
    expect(server.tokenRequests[1]?.params.refresh_token).toBe(first.refreshToken);

    server.script({ status: 400, body: { error: 'invalid_grant' } });
    await expect(tokens.getToken({ forceRefresh: true })).rejects.toMatchObject({
      name: 'ReauthorizationRequiredError',
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect((await store.get(await tokens.cacheKey()))?.refreshToken).toBeUndefined();
    clock.advance(3_600_000);
    await expect(tokens.getToken()).rejects.toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
    });
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('clientCredentials flow: invalid_grant is an ordinary endpoint error, asked again after the window', async () => {
    server.script({ status: 400, body: { error: 'invalid_grant' } });
    const tokens = manage();
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT' });
    clock.advance(1_000);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(2);
  });
});
