/**
 * `authorizationCode`: the one-time code exchange (with PKCE) and the refreshes after it.
 */
import { describe, expect, test } from 'vitest';
import { formOf, formType, initial, refresh } from '../test-support/flow-fixtures.ts';
import { authorizationCode } from './authorization-code.ts';

describe('authorizationCode', () => {
  const base = {
    tokenUrl: 'https://api.priava.com/rest/oauth/token',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    code: 'code-1',
    redirectUri: 'https://My.App.com/oauth2callback?from=priava',
  };

  test('exchanges the code once, with redirect_uri exactly as given and the PKCE verifier', () => {
    const flow = authorizationCode({ ...base, codeVerifier: 'v'.repeat(43), scope: 'read' });
    expect(flow.kind).toBe('authorization_code');
    expect(flow.initialGrant?.reusable).toBe(false);
    expect(flow.initialRefreshToken).toBeUndefined();
    expect(formOf(initial(flow))).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['code', 'code-1'],
      ['code_verifier', 'v'.repeat(43)],
      ['grant_type', 'authorization_code'],
      ['redirect_uri', 'https://My.App.com/oauth2callback?from=priava'],
    ]);
  });

  test('a URL redirectUri is sent as its href; no verifier means no code_verifier', () => {
    const body = new URLSearchParams(
      initial(authorizationCode({ ...base, redirectUri: new URL('https://My.App.com/cb') })).body,
    );
    expect(body.get('redirect_uri')).toBe('https://my.app.com/cb');
    expect(body.has('code_verifier')).toBe(false);
  });

  test('refreshes with the refresh token, the scope, and no code', () => {
    const flow = authorizationCode({
      ...base,
      codeVerifier: 'v'.repeat(43),
      scope: ['read', 'write'],
    });
    expect(formOf(refresh(flow, 'rt-1'))).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
      ['scope', 'read write'],
    ]);
  });

  test('Priava: headers and redirect_uri through params go on the exchange and on every refresh', () => {
    const redirectUri = 'https://my.app.com/oauth2callback';
    const flow = authorizationCode({
      ...base,
      redirectUri,
      headers: { 'Content-Type': `${formType};charset=utf-8`, TenantRegion: 'APAC' },
      params: { redirect_uri: redirectUri },
    });
    for (const request of [initial(flow), refresh(flow, 'rt-1'), refresh(flow, 'rt-2')]) {
      expect(request.headers).toEqual({
        'Content-Type': `${formType};charset=utf-8`,
        Accept: 'application/json',
        TenantRegion: 'APAC',
      });
      expect(new URLSearchParams(request.body).getAll('redirect_uri')).toEqual([redirectUri]);
    }
    expect(new URLSearchParams(refresh(flow, 'rt-2').body).get('refresh_token')).toBe('rt-2');
  });

  test('a public client (no secret) sends only client_id', () => {
    const { clientSecret: _, ...publicClient } = base;
    const flow = authorizationCode(publicClient);
    expect(new URLSearchParams(initial(flow).body).has('client_secret')).toBe(false);
    expect(new URLSearchParams(refresh(flow, 'rt').body).get('client_id')).toBe('client-1');
    expect(initial(flow).headers.Authorization).toBeUndefined();
  });

  test.each([
    {
      name: 'code missing',
      options: { ...base, code: undefined },
      message: /^authorizationCode: code must be a non-empty string$/,
    },
    {
      name: 'redirectUri invalid',
      options: { ...base, redirectUri: '/callback' },
      message: /^authorizationCode: redirectUri is not a valid URL$/,
    },
    {
      name: 'codeVerifier empty',
      options: { ...base, codeVerifier: '' },
      message: /^authorizationCode: codeVerifier must be a non-empty string$/,
    },
    {
      name: 'basic without a secret',
      options: { ...base, clientSecret: undefined, clientAuth: 'client_secret_basic' },
      message: /^authorizationCode: clientSecret must be/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => authorizationCode(options as never)).toThrow(TypeError);
    expect(() => authorizationCode(options as never)).toThrow(message);
  });
});
