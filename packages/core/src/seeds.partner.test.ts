/**
 * Seed 004, the partner bookings API: client_credentials with a JSON body, a JWT and no refresh,
 * through an msw token endpoint built from the partner's document. The config is the README recipe.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import { partnerJwt } from './test-support/seed-jwts.ts';
import { bodyOf, hasFields, hour, type Seen, useSeedServer } from './test-support/seed-server.ts';

const { server, manager, clock } = useSeedServer();

describe('seed 004: partner bookings API (JSON client_credentials, JWT, no refresh)', () => {
  const tokenUrl = 'https://partner.example.com/api/oauth/token';
  const [clientId, clientSecret] = ['partner-client', 'partner-secret'];
  const partnerFlow = () =>
    clientCredentials({ tokenUrl, clientId, clientSecret, bodyFormat: 'json' });
  const issuedAt = 1_710_220_031_583; // the JWT's iat, in ms

  function partnerEndpoint(seen: Seen[], answer: Record<string, unknown>) {
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, 'application/json');
      seen.push(sent);
      const { body, headers } = sent;
      if (
        headers.get('accept') !== 'application/json' ||
        !hasFields(body, ['grant_type', 'client_id', 'client_secret']) ||
        body.grant_type !== 'client_credentials' ||
        body.client_id !== clientId ||
        body.client_secret !== clientSecret
      ) {
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      }
      return HttpResponse.json(answer);
    });
  }

  test('JSON body with Accept: application/json; a new token (not a refresh) after expiry', async () => {
    clock.set(issuedAt);
    const seen: Seen[] = [];
    server.use(
      partnerEndpoint(seen, { token_type: 'Bearer', expires_in: 3600, access_token: partnerJwt }),
    );
    const flow = partnerFlow();
    expect(flow.refreshGrant).toBeUndefined();
    const tokens = manager({ flow, now: clock.now });

    const first = await tokens.getToken();
    expect(first).toMatchObject({ accessToken: partnerJwt, expiresAt: issuedAt + hour });
    expect(first.refreshToken).toBeUndefined();
    expect(seen[0]?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });

    clock.set(issuedAt + hour);
    expect(await tokens.getToken()).toMatchObject({ expiresAt: issuedAt + 2 * hour });
    expect(seen.map(({ body }) => body?.grant_type)).toEqual([
      'client_credentials',
      'client_credentials',
    ]);
  });

  test('without expires_in, the JWT exp is the expiry', async () => {
    clock.set(issuedAt);
    server.use(partnerEndpoint([], { token_type: 'Bearer', access_token: partnerJwt }));
    const tokens = manager({ flow: partnerFlow(), now: clock.now });

    expect((await tokens.getToken()).expiresAt).toBe(1_710_223_631_577);
  });
});
