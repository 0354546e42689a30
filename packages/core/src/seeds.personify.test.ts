/**
 * Seed 003, Personify: client_credentials with scope=idp_api, and API calls with X-Tenant-Id,
 * through an msw token endpoint built from Personify's document. The config is the README recipe.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import {
  bodyOf,
  formType,
  hasFields,
  hour,
  type Seen,
  useSeedServer,
} from './test-support/seed-server.ts';

const { server, manager, clock } = useSeedServer();

describe('seed 003: Personify (client_credentials, scope=idp_api, X-Tenant-Id)', () => {
  const tokenUrl = 'https://prod.personifyauth.com/connect/token';
  const clientId = 'personify-client';
  const personifyFlow = (clientSecret = 'personify-secret') =>
    clientCredentials({ tokenUrl, clientId, clientSecret, scope: 'idp_api' });

  function personifyEndpoint(seen: Seen[]) {
    const fail = (error: string, description: string) =>
      HttpResponse.json({ error, error_description: description }, { status: 400 });
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, formType);
      seen.push(sent);
      const { body } = sent;
      if (!hasFields(body, ['client_id', 'client_secret', 'grant_type', 'scope'])) {
        return fail('invalid_request', 'Missing required form parameters');
      }
      if (body.client_id !== clientId || body.client_secret !== 'personify-secret') {
        return fail('invalid_client', 'Invalid client credentials');
      }
      if (body.grant_type !== 'client_credentials') return fail('unsupported_grant_type', 'No');
      if (body.scope !== 'idp_api') return fail('invalid_scope', 'Unknown scope');
      return HttpResponse.json({
        access_token: `personify-at-${seen.length}`,
        expires_in: 3600,
        token_type: 'Bearer',
        scope: 'idp_api',
      });
    });
  }

  test('caches the 3600 s token, then requests a new one after expiry', async () => {
    clock.set(Date.parse('2025-05-05T12:00:00Z'));
    const start = clock.now();
    const seen: Seen[] = [];
    server.use(personifyEndpoint(seen));
    const tokens = manager({ flow: personifyFlow(), now: clock.now });

    const first = await tokens.getToken();
    expect(first).toMatchObject({
      accessToken: 'personify-at-1',
      scope: 'idp_api',
      expiresAt: start + hour,
    });
    clock.set(start + 30 * 60_000);
    expect(await tokens.getToken()).toBe(first);

    clock.set(start + hour);
    expect(await tokens.getToken()).toMatchObject({
      accessToken: 'personify-at-2',
      expiresAt: start + 2 * hour,
    });
    expect(seen.map(({ body }) => body?.grant_type)).toEqual([
      'client_credentials',
      'client_credentials',
    ]);
  });

  test('API calls carry the token and X-Tenant-Id', async () => {
    clock.set(Date.parse('2025-05-05T12:00:00Z'));
    server.use(
      personifyEndpoint([]),
      http.get('https://api.personify.example/v1/members', ({ request }) =>
        request.headers.get('authorization') === 'Bearer personify-at-1' &&
        request.headers.get('x-tenant-id') === 'tenant-42'
          ? HttpResponse.json({ members: [] })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const tokens = manager({ flow: personifyFlow(), now: clock.now });
    const personifyFetch = createAuthFetch({ tokens, headers: { 'X-Tenant-Id': 'tenant-42' } });

    const res = await personifyFetch('https://api.personify.example/v1/members');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ members: [] });
  });

  test('invalid_client becomes a TokenEndpointError with the fields', async () => {
    clock.set(Date.parse('2025-05-05T12:00:00Z'));
    server.use(personifyEndpoint([]));
    const tokens = manager({ flow: personifyFlow('wrong'), now: clock.now });

    await expect(tokens.getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      status: 400,
      error: 'invalid_client',
      errorDescription: 'Invalid client credentials',
    });
  });
});
