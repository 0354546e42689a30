/**
 * Seed 001, Priava: authorization_code with a charset form body, a TenantRegion header and
 * token_type BEARER, through an msw token endpoint built from Priava's document, which answers
 * anything else with Priava's documented error. The config is the README recipe.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import {
  bodyOf,
  formType,
  hasFields,
  hour,
  type Seen,
  useSeedServer,
} from './test-support/seed-server.ts';

const { server, manager, clock } = useSeedServer();

describe('seed 001: Priava (authorization_code, charset form, TenantRegion, BEARER)', () => {
  const tokenUrl = 'https://mytenant.priava.com/rest/oauth/token';
  const [clientId, clientSecret] = ['priava-client', 'priava-secret'];
  const redirectUri = 'https://my.app.com/oauth2callback';
  const priavaType = `${formType};charset=utf-8`;

  function priavaEndpoint(
    state: { codes: Set<string>; refreshTokens: Set<string>; rotate: boolean },
    seen: Seen[],
  ) {
    const fail = (error: string, description: string) =>
      HttpResponse.json({ error, error_description: description }, { status: 400 });
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, priavaType);
      seen.push(sent);
      const { body, headers } = sent;
      if (body === undefined)
        return fail('invalid_request', 'Content-Type must be form-urlencoded;charset=utf-8');
      if (!['APAC', 'EU', 'US'].includes(headers.get('tenantregion') ?? '')) {
        return fail('invalid_request', 'TenantRegion header must be APAC, EU or US');
      }
      const client = ['grant_type', 'client_id', 'client_secret', 'redirect_uri'];
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return fail('invalid_client', 'Unknown client');
      }
      if (body.redirect_uri !== redirectUri)
        return fail('invalid_request', 'redirect_uri mismatch');
      if (body.grant_type === 'authorization_code' && hasFields(body, [...client, 'code'])) {
        if (!state.codes.delete(body.code ?? ''))
          return fail('invalid_grant', 'Invalid authorization code');
      } else if (
        body.grant_type === 'refresh_token' &&
        hasFields(body, [...client, 'refresh_token'])
      ) {
        if (!state.refreshTokens.has(body.refresh_token ?? ''))
          return fail('invalid_grant', 'Invalid refresh token');
        if (state.rotate) state.refreshTokens.delete(body.refresh_token ?? '');
      } else {
        return fail('invalid_request', 'Unexpected parameters');
      }
      const n = seen.length;
      if (state.rotate) state.refreshTokens.add(`priava-rt-${n}`);
      return HttpResponse.json({
        access_token: `priava-at-${n}`,
        ...(state.rotate ? { refresh_token: `priava-rt-${n}` } : {}),
        token_type: 'BEARER',
        expires_in: 21600,
      });
    });
  }

  const priavaFlow = (region = 'EU') =>
    authorizationCode({
      tokenUrl,
      clientId,
      clientSecret,
      code: 'code-1',
      redirectUri,
      headers: { 'Content-Type': priavaType, TenantRegion: region },
      params: { redirect_uri: redirectUri }, // Priava wants it on refresh too
    });

  test('exchanges the code once, then refreshes after expiry with the rotated refresh token', async () => {
    clock.set(Date.parse('2025-03-01T00:00:00Z'));
    const start = clock.now();
    const state = { codes: new Set(['code-1']), refreshTokens: new Set<string>(), rotate: true };
    const seen: Seen[] = [];
    server.use(priavaEndpoint(state, seen));
    const tokens = manager({ flow: priavaFlow(), now: clock.now });

    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-1',
      refreshToken: 'priava-rt-1',
      tokenType: 'Bearer',
      expiresAt: start + 6 * hour,
    });

    clock.set(start + 6 * hour);
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-2',
      refreshToken: 'priava-rt-2',
      tokenType: 'Bearer',
      expiresAt: start + 12 * hour,
    });

    state.rotate = false; // the server stops rotating: the client keeps the refresh token it has
    clock.set(start + 12 * hour);
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'priava-at-3',
      refreshToken: 'priava-rt-2',
      expiresAt: start + 18 * hour,
    });

    expect(seen.map(({ body }) => [body?.grant_type, body?.code ?? body?.refresh_token])).toEqual([
      ['authorization_code', 'code-1'],
      ['refresh_token', 'priava-rt-1'],
      ['refresh_token', 'priava-rt-2'],
    ]);
    for (const { headers } of seen) {
      expect(headers.get('content-type')).toBe(priavaType);
      expect(headers.get('tenantregion')).toBe('EU');
    }
  });

  test('400 {error, error_description} becomes a TokenEndpointError with the fields', async () => {
    clock.set(Date.parse('2025-03-01T00:00:00Z'));
    const seen: Seen[] = [];
    server.use(
      priavaEndpoint({ codes: new Set(['code-1']), refreshTokens: new Set(), rotate: true }, seen),
    );
    const tokens = manager({ flow: priavaFlow('MARS'), now: clock.now });

    const error: unknown = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 400,
      error: 'invalid_request',
      errorDescription: 'TenantRegion header must be APAC, EU or US',
    });
    expect(seen).toHaveLength(1); // a 4xx is not retried
  });

  test('a rejected refresh token asks for re-authorization', async () => {
    clock.set(Date.parse('2025-03-01T00:00:00Z'));
    const state = { codes: new Set(['code-1']), refreshTokens: new Set<string>(), rotate: true };
    server.use(priavaEndpoint(state, []));
    const tokens = manager({ flow: priavaFlow(), now: clock.now });
    await tokens.getToken();

    state.refreshTokens.clear(); // revoked in Priava
    clock.advance(6 * hour);
    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'ReauthorizationRequiredError',
      code: 'ERR_REAUTHORIZATION_REQUIRED',
      error: 'invalid_grant',
      errorDescription: 'Invalid refresh token',
    });
  });
});
