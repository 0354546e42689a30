/**
 * GET /authorize (RFC 6749 §4.1.1, §4.1.2.1): auto-approval with a 302 carrying code, state and
 * iss; errors sent to the redirect URI, except for an unknown client or redirect URI.
 */
import { describe, expect, test } from 'vitest';
import { challenge, redirectUri, serveGrantsMock, verifier } from './test-support/grants-mock.ts';
import { issuer, postToken } from './test-support/http.ts';

serveGrantsMock();

describe('GET /authorize', () => {
  test('auto-approves with a 302 carrying code, state and iss', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'spa',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    const response = await fetch(`${issuer}/authorize?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(issuer);
    const code = location.searchParams.get('code')!;
    const token = await postToken({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
  });

  test('errors go to the redirect URI, except for a bad client or redirect URI (400)', async () => {
    const noPkce = await fetch(
      `${issuer}/authorize?response_type=code&client_id=app&redirect_uri=${redirectUri}&state=s`,
      { redirect: 'manual' },
    );
    const location = new URL(noPkce.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s');
    const token = await fetch(
      `${issuer}/authorize?response_type=token&client_id=app&redirect_uri=${redirectUri}`,
      { redirect: 'manual' },
    );
    expect(new URL(token.headers.get('location')!).searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
    const unknown = await fetch(
      `${issuer}/authorize?response_type=code&client_id=nobody&redirect_uri=${redirectUri}`,
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
  });
});
