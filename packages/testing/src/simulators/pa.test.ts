import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { manualClock } from '../test-support/clock.ts';
import { get, postForm, postJson } from '../test-support/raw-http.ts';
import { startPaSimulator } from './pa.ts';

describe('PA simulator', () => {
  const documented = (clientId: string, clientSecret: string) => ({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'client_credentials',
  });

  test('answers the documented request with the documented body', async () => {
    const sim = defer(await startPaSimulator());
    const { clientId, clientSecret } = sim.credentials;
    const answer = await postForm(sim.tokenUrl, documented(clientId, clientSecret));

    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(answer.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
    expect(answer.json).toMatchObject({
      expires_in: 90000,
      token_type: 'Bearer',
      scope: 'api:recs api:search',
    });
    expect(answer.json.access_token).toMatch(/^[\w-]{22}$/);
  });

  test.each([
    ['a JSON body', 'json', {}, 'invalid_request'],
    ['a missing client_secret', 'form', { client_secret: undefined }, 'invalid_request'],
    ['an extra scope', 'form', { scope: 'api:recs' }, 'invalid_request'],
    ['another grant_type', 'form', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['a wrong secret', 'form', { client_secret: 'nope' }, 'invalid_client'],
    ['a wrong client_id', 'form', { client_id: 'nope' }, 'invalid_client'],
  ] as const)('refuses %s with 400', async (_what, format, change, error) => {
    const sim = defer(await startPaSimulator());
    const fields: Record<string, string | undefined> = {
      ...documented(sim.credentials.clientId, sim.credentials.clientSecret),
      ...change,
    };
    const body = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const answer =
      format === 'json' ? await postJson(sim.tokenUrl, body) : await postForm(sim.tokenUrl, body);
    expect(answer).toMatchObject({ status: 400, json: { error } });
    expect(sim.stats).toMatchObject({ tokenRequests: 1, tokensIssued: 0, tokenErrors: 1 });
  });

  test('refuses credentials in an Authorization header, and a repeated field', async () => {
    const sim = defer(await startPaSimulator());
    const { clientId, clientSecret } = sim.credentials;
    const basic = `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
    expect(
      await postForm(sim.tokenUrl, documented(clientId, clientSecret), { Authorization: basic }),
    ).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const repeated = `${new URLSearchParams(documented(clientId, clientSecret))}&grant_type=client_credentials`;
    expect(await postForm(sim.tokenUrl, repeated)).toMatchObject({ status: 400 });
  });

  test('the API accepts the token until its lifetime ends or it is revoked', async () => {
    const clock = manualClock();
    const sim = defer(await startPaSimulator({ now: clock.now, lifetimeSeconds: 2 }));
    const { clientId, clientSecret } = sim.credentials;
    const issue = async () =>
      String((await postForm(sim.tokenUrl, documented(clientId, clientSecret))).json.access_token);
    const api = (token?: string) =>
      get(`${sim.apiUrl}/recs`, token === undefined ? {} : { Authorization: `Bearer ${token}` });

    const token = await issue();
    expect(await api()).toMatchObject({ status: 401, json: { error: 'invalid_request' } });
    expect(await api(token)).toMatchObject({ status: 200, json: { vendor: 'pa', path: '/recs' } });
    clock.advance(1_999);
    expect((await api(token)).status).toBe(200);
    clock.advance(1);
    const expired = await api(token);
    expect(expired).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');

    const other = await issue();
    expect(sim.revoke(other)).toBe(true);
    expect((await api(other)).status).toBe(401);
    expect(sim.stats).toMatchObject({ tokensIssued: 2, apiCalls: 5, apiRejected: 3 });
  });
});
