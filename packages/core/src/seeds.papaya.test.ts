/**
 * Seed 002, Papaya Global: JSON credentials, a 201 answer and valid_until without seconds,
 * through an msw token endpoint built from Papaya's document. The config is the README recipe.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { tokenRequest } from './flows/token-request.ts';
import { papayaJwt } from './test-support/seed-jwts.ts';
import { bodyOf, hasFields, hour, type Seen, useSeedServer } from './test-support/seed-server.ts';

const { server, manager, clock } = useSeedServer();

describe('seed 002: Papaya Global (JSON credentials, 201, valid_until without seconds)', () => {
  const url = 'https://authentication-service.staging.pay.papayaglobal.work/token';
  const apiKey = '82725488-22bf-40d1-ace6-9ea6ee42f870';
  const papayaFlow = (clientSecret = 'MySecret!!!') =>
    tokenRequest({
      url,
      body: { api_key: apiKey, client_secret: clientSecret, token_name: '82725488-22bf' },
      successStatus: 201,
      response: { accessToken: 'token', expiresAt: 'valid_until' },
    });

  function papayaEndpoint(seen: Seen[], serverAheadMs?: number) {
    return http.post(url, async ({ request }) => {
      const sent = await bodyOf(request, 'application/json');
      seen.push(sent);
      const { body } = sent;
      if (
        !hasFields(body, ['api_key', 'client_secret'], ['token_name']) ||
        body.api_key !== apiKey ||
        body.client_secret !== 'MySecret!!!'
      ) {
        return HttpResponse.json({ error: 'Invalid request' }, { status: 401 });
      }
      const headers: Record<string, string> =
        serverAheadMs === undefined
          ? {}
          : { Date: new Date(clock.now() + serverAheadMs).toUTCString() };
      return HttpResponse.json(
        {
          valid_until: '2024-07-11T07:48Z',
          token: papayaJwt,
          token_name: body.token_name ?? 'uuid',
        },
        { status: 201, headers },
      );
    });
  }

  test('201 with the JWT; valid_until (no seconds) is the expiry, not the JWT exp', async () => {
    clock.set(Date.parse('2024-07-10T07:48:31Z')); // the JWT's iat
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen));
    const tokens = manager({ flow: papayaFlow(), now: clock.now });

    const token = await tokens.getToken();
    expect(token).toMatchObject({
      accessToken: papayaJwt,
      tokenType: 'Bearer',
      expiresAt: Date.parse('2024-07-11T07:48:00Z'),
      raw: { token_name: '82725488-22bf' },
    });
    expect(seen[0]?.body).toEqual({
      api_key: apiKey,
      client_secret: 'MySecret!!!',
      token_name: '82725488-22bf',
    });
    expect(seen[0]?.headers.get('accept')).toBe('application/json');
  });

  test('a Date header one hour ahead shifts valid_until, and the token stays in use', async () => {
    clock.set(Date.parse('2024-07-10T07:48:31Z'));
    const start = clock.now();
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen, hour));
    const tokens = manager({ flow: papayaFlow(), now: clock.now });

    const token = await tokens.getToken();
    // One hour earlier, and up to a second more: the Date header has whole seconds.
    expect(token.expiresAt).toBe(Date.parse('2024-07-11T06:48:00Z') - 999);
    clock.set(start + 22 * hour);
    expect(await tokens.getToken()).toBe(token);
    expect(seen).toHaveLength(1);
  });

  test('401 {error: "Invalid request"} becomes a TokenEndpointError', async () => {
    clock.set(Date.parse('2024-07-10T07:48:31Z'));
    const seen: Seen[] = [];
    server.use(papayaEndpoint(seen));
    const tokens = manager({ flow: papayaFlow('wrong-secret'), now: clock.now });

    const error: unknown = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 401,
      error: 'Invalid request',
      message: 'Token endpoint answered 401 (Invalid request)',
    });
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
    expect(seen).toHaveLength(1);
  });
});
