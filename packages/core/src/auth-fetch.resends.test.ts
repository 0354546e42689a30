/**
 * createAuthFetch given a Request with a body of its own, re-sent twice in one call (a DPoP nonce
 * challenge, then a rejected token): each send carries the body.
 */
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { createTokenManager } from './token-manager.ts';

const api = 'https://api.example.com';

describe('a Request body on every re-send', () => {
  it('is sent three times: first, after a nonce challenge, after a rejected token', async () => {
    let issued = 0;
    const tokens = createTokenManager({
      flow: clientCredentials({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'app',
        clientSecret: 'secret',
      }),
      dpop: true,
      retry: false,
      fetch: async () =>
        Response.json({ access_token: `at-${++issued}`, token_type: 'DPoP', expires_in: 300 }),
    });
    const answers = [
      new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n-1' },
      }),
      new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' },
      }),
      new Response('stored', { status: 200 }),
    ];
    const sent: { body: string; authorization: string | null }[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      sent.push({
        body: await request.text(),
        authorization: request.headers.get('authorization'),
      });
      return answers[sent.length - 1] ?? new Response(null, { status: 500 });
    };
    const authFetch = createAuthFetch({ tokens, fetch, origins: [api] });

    const response = await authFetch(
      new Request(`${api}/items`, { method: 'POST', body: 'payload' }),
    );

    expect(response.status).toBe(200);
    expect(sent).toEqual([
      { body: 'payload', authorization: 'DPoP at-1' },
      { body: 'payload', authorization: 'DPoP at-1' },
      { body: 'payload', authorization: 'DPoP at-2' },
    ]);
    await tokens.close();
  });
});
