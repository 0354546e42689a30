/**
 * Seed 000, PA: client_credentials with a form body and a 25 h token, through an msw token
 * endpoint built from PA's document. The config is the README recipe.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, test, vi } from 'vitest';
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

describe('seed 000: PA (client_credentials, form, 25 h token)', () => {
  const tokenUrl = 'https://pa-auth.example.com/auth/connect/token';
  const [clientId, clientSecret] = ['pa-client', 'pa-secret'];

  function paEndpoint(seen: Seen[]) {
    return http.post(tokenUrl, async ({ request }) => {
      const sent = await bodyOf(request, formType);
      seen.push(sent);
      const { body } = sent;
      if (
        !hasFields(body, ['client_id', 'client_secret', 'grant_type']) ||
        body.grant_type !== 'client_credentials'
      ) {
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      }
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
      }
      return HttpResponse.json({
        access_token: `pa-token-${seen.length}`,
        expires_in: 90000,
        token_type: 'Bearer',
        scope: 'api:recs api:search',
      });
    });
  }

  test('one token serves every call for 24 h, then is renewed in the background', async () => {
    clock.set(Date.parse('2025-01-06T09:00:00Z'));
    const start = clock.now();
    const seen: Seen[] = [];
    server.use(paEndpoint(seen));
    const tokens = manager({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
      refreshAheadMs: hour, // renew after 24 h of the 25 h
      now: clock.now,
    });

    const first = await tokens.getToken();
    expect(first).toMatchObject({
      accessToken: 'pa-token-1',
      tokenType: 'Bearer',
      scope: 'api:recs api:search',
      expiresAt: start + 25 * hour,
      issuedAt: start,
    });
    expect(seen).toHaveLength(1);

    clock.set(start + 24 * hour - 1);
    for (let call = 0; call < 100; call++) expect(await tokens.getToken()).toBe(first);
    expect(seen).toHaveLength(1);

    clock.set(start + 24.5 * hour); // inside the refresh-ahead hour, whatever the jitter
    expect(await tokens.getToken()).toBe(first); // served at once while the renewal runs
    await vi.waitFor(async () => expect((await tokens.getToken()).accessToken).toBe('pa-token-2'));
    expect(seen).toHaveLength(2);
    expect(await tokens.getToken()).toMatchObject({ expiresAt: clock.now() + 25 * hour });
  });
});
