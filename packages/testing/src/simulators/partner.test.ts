import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { postForm, postJson } from '../test-support/raw-http.ts';
import { type PartnerSimulator, startPartnerSimulator } from './partner.ts';

describe('partner bookings API simulator', () => {
  const documented = (sim: PartnerSimulator) => ({
    grant_type: 'client_credentials',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
  });
  const acceptJson = { Accept: 'application/json' };

  test('answers JSON client credentials with a JWT whose times are fractional', async () => {
    const sim = defer(await startPartnerSimulator({ now: () => 1_710_220_031_583 }));
    const answer = await postJson(sim.tokenUrl, documented(sim), acceptJson);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(
      Buffer.from(String(answer.json.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({
      aud: sim.credentials.clientId,
      iat: 1710220031.583,
      exp: 1710223631.583,
    });
  });

  test.each([
    ['no Accept: application/json', 'json', {}, {}, 400, 'invalid_request'],
    ['a form body', 'form', acceptJson, {}, 400, 'invalid_request'],
    [
      'a refresh_token grant',
      'json',
      acceptJson,
      { grant_type: 'refresh_token' },
      400,
      'unsupported_grant_type',
    ],
    ['an extra field', 'json', acceptJson, { scope: 'bookings' }, 400, 'invalid_request'],
    ['a wrong secret', 'json', acceptJson, { client_secret: 'nope' }, 401, 'invalid_client'],
  ] as const)('refuses %s', async (_what, format, headers, change, status, error) => {
    const sim = defer(await startPartnerSimulator());
    const body = { ...documented(sim), ...change };
    const answer =
      format === 'json'
        ? await postJson(sim.tokenUrl, body, { ...headers })
        : await postForm(sim.tokenUrl, body, { ...headers });
    expect(answer).toMatchObject({ status, json: { error } });
  });
});
