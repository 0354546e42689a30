import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { get, postForm, postJson } from '../test-support/raw-http.ts';
import { type PersonifySimulator, startPersonifySimulator } from './personify.ts';

describe('Personify simulator', () => {
  const documented = (sim: PersonifySimulator, change: Record<string, string | undefined> = {}) =>
    Object.fromEntries(
      Object.entries({
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
        grant_type: 'client_credentials',
        scope: 'idp_api',
        ...change,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );

  test('answers the documented request with a JWT; scope is optional', async () => {
    const sim = defer(await startPersonifySimulator());
    for (const fields of [documented(sim), documented(sim, { scope: undefined })]) {
      const answer = await postForm(sim.tokenUrl, fields);
      expect(answer).toMatchObject({
        status: 200,
        json: { expires_in: 3600, token_type: 'Bearer', scope: 'idp_api' },
      });
      const claims = JSON.parse(
        Buffer.from(String(answer.json.access_token).split('.')[1] ?? '', 'base64url').toString(),
      );
      expect(claims).toMatchObject({ scope: ['idp_api'], client_id: sim.credentials.clientId });
      expect(claims.exp - claims.iat).toBe(3600);
    }
  });

  test.each([
    ['a wrong secret', { client_secret: 'nope' }, 'Invalid client credentials'],
    ['a missing parameter', { client_id: undefined }, 'Missing required form parameters'],
    ['another grant_type', { grant_type: 'password' }, 'Incorrect grant_type'],
  ])('refuses %s with 400 invalid_client', async (_what, change, description) => {
    const sim = defer(await startPersonifySimulator());
    expect(await postForm(sim.tokenUrl, documented(sim, change))).toMatchObject({
      status: 400,
      json: { error: 'invalid_client', error_description: description },
    });
  });

  test('refuses a JSON body and another scope', async () => {
    const sim = defer(await startPersonifySimulator());
    expect(await postJson(sim.tokenUrl, documented(sim))).toMatchObject({
      status: 400,
      json: { error: 'invalid_client' },
    });
    expect(await postForm(sim.tokenUrl, documented(sim, { scope: 'admin' }))).toMatchObject({
      status: 400,
      json: { error: 'invalid_scope' },
    });
  });

  test('API calls need X-Tenant-Id beside the token', async () => {
    const sim = defer(await startPersonifySimulator({ tenantIds: ['t-1', 't-2'] }));
    const token = (await postForm(sim.tokenUrl, documented(sim))).json.access_token;
    const auth = { Authorization: `Bearer ${token}` };
    const members = `${sim.apiUrl}/members`;
    expect(await get(members, auth)).toMatchObject({
      status: 400,
      json: { error: 'missing_tenant' },
    });
    expect(await get(members, { ...auth, 'X-Tenant-Id': 't-3' })).toMatchObject({ status: 403 });
    expect(await get(members, { ...auth, 'X-Tenant-Id': 't-2' })).toMatchObject({ status: 200 });
    expect(await get(members, { 'X-Tenant-Id': 't-2' })).toMatchObject({ status: 401 });
    expect(sim.stats).toMatchObject({ apiCalls: 4, apiRejected: 3 });
  });
});
