/**
 * The token endpoint's client authentication (RFC 6749 §2.3.1): Basic with form-encoded id and
 * secret, client_secret_post, none for a public client, and JSON bodies only when accepted.
 */
import { describe, expect, test } from 'vitest';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, json, postToken, tokenUrl } from './test-support/http.ts';
import { serveTokenEndpointMock } from './test-support/token-endpoint-mock.ts';

const { oauth, server } = serveTokenEndpointMock();

describe('§2.3.1 client authentication', () => {
  test('Basic with form-urlencoded id and secret', async () => {
    const ok = await postToken('grant_type=client_credentials', {
      Authorization: basic('my app:1', 'p@ss wörd+/=%'),
    });
    expect(ok.status).toBe(200);
    // Without the form encoding, the ':' in the id splits it wrongly.
    const raw = `Basic ${btoa(unescape(encodeURIComponent('my app:1:p@ss wörd+/=%')))}`;
    const refused = await postToken('grant_type=client_credentials', { Authorization: raw });
    expect(refused.status).toBe(401);
  });

  test('client_secret_post and none (public client)', async () => {
    const post = await postToken({
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 'secret',
    });
    expect(post.status).toBe(200);
    const code = await oauth.authorize({ clientId: 'spa', redirectUri: 'https://spa.test/cb' });
    const none = await postToken({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      redirect_uri: 'https://spa.test/cb',
    });
    expect(none.status).toBe(200);
    expect(oauth.tokenRequests.map((r) => r.clientAuth)).toEqual(['client_secret_post', 'none']);
  });

  test('JSON bodies are refused unless acceptJsonBodies', async () => {
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'app',
        client_secret: 'secret',
      }),
    };
    const refused = await fetch(tokenUrl, init);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ error: 'invalid_request' });
    const lenient = mockOAuthServer({
      issuer: 'https://json.test',
      clients: { app: 'secret' },
      acceptJsonBodies: true,
    });
    server.use(...lenient.handlers);
    const accepted = await fetch('https://json.test/token', init);
    expect(accepted.status).toBe(200);
  });
});
