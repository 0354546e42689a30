import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { postForm } from '../test-support/raw-http.ts';
import { type PriavaSimulator, startPriavaSimulator } from './priava.ts';

const priavaType = 'application/x-www-form-urlencoded;charset=utf-8';

describe('Priava simulator', () => {
  const exchange = (sim: PriavaSimulator, code: string, change: Record<string, string> = {}) => ({
    grant_type: 'authorization_code',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    code,
    redirect_uri: sim.credentials.redirectUri,
    ...change,
  });
  const refresh = (sim: PriavaSimulator, refreshToken: string) => ({
    grant_type: 'refresh_token',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    refresh_token: refreshToken,
    redirect_uri: sim.credentials.redirectUri,
  });
  const post = (sim: PriavaSimulator, fields: Record<string, string>, headers = {}) =>
    postForm(sim.tokenUrl, fields, {
      'Content-Type': priavaType,
      TenantRegion: sim.credentials.region,
      ...headers,
    });

  test('exchanges a code once, then rotates single-use refresh tokens', async () => {
    const sim = defer(await startPriavaSimulator());
    const code = sim.issueCode();
    const first = await post(sim, exchange(sim, code));
    expect(first.status).toBe(200);
    expect(Object.keys(first.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
    ]);
    expect(first.json).toMatchObject({ token_type: 'BEARER', expires_in: 21600 });
    expect(await post(sim, exchange(sim, code))).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });

    const rt1 = String(first.json.refresh_token);
    const second = await post(sim, refresh(sim, rt1));
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(rt1);
    expect(await post(sim, refresh(sim, rt1))).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
    });
    expect(sim.acceptsRefreshToken(String(second.json.refresh_token))).toBe(true);
    expect(sim.revokeAll()).toBe(3); // two access tokens, one refresh token
    expect(sim.acceptsRefreshToken(String(second.json.refresh_token))).toBe(false);
  });

  test.each([
    ['no charset', { 'Content-Type': 'application/x-www-form-urlencoded' }, {}, 'invalid_request'],
    ['no TenantRegion', { TenantRegion: '' }, {}, 'invalid_request'],
    ['an unknown TenantRegion', { TenantRegion: 'MARS' }, {}, 'invalid_request'],
    ['another tenant’s region', { TenantRegion: 'US' }, {}, 'invalid_request'],
    ['a wrong secret', {}, { client_secret: 'nope' }, 'invalid_client'],
    ['another redirect_uri', {}, { redirect_uri: 'https://evil.example/cb' }, 'invalid_grant'],
    ['an extra field', {}, { scope: 'all' }, 'invalid_request'],
    ['another grant', {}, { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
  ] as const)(
    'refuses %s with 400 {error, error_description}',
    async (_what, headers, change, error) => {
      const sim = defer(await startPriavaSimulator());
      const answer = await post(sim, exchange(sim, sim.issueCode(), change), headers);
      expect(answer).toMatchObject({ status: 400, json: { error } });
      expect(Object.keys(answer.json).sort()).toEqual(['error', 'error_description']);
    },
  );

  test('refuses a refresh without redirect_uri', async () => {
    const sim = defer(await startPriavaSimulator());
    const first = await post(sim, exchange(sim, sim.issueCode()));
    const { redirect_uri: _omitted, ...withoutRedirect } = refresh(
      sim,
      String(first.json.refresh_token),
    );
    expect(await post(sim, withoutRedirect)).toMatchObject({
      status: 400,
      json: { error: 'invalid_request' },
    });
  });
});
