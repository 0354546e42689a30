import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { manualClock } from '../test-support/clock.ts';
import { get, postForm, postJson } from '../test-support/raw-http.ts';
import { papayaValidUntil, startPapayaSimulator } from './papaya.ts';

describe('Papaya simulator', () => {
  test('answers 201 {valid_until, token, token_name}; valid_until has no seconds', async () => {
    const clock = manualClock(Date.parse('2024-07-10T07:48:31Z'));
    const sim = defer(await startPapayaSimulator({ now: clock.now }));
    const { apiKey, clientSecret } = sim.credentials;
    const answer = await postJson(sim.tokenUrl, {
      api_key: apiKey,
      client_secret: clientSecret,
      token_name: '82725488-22bf',
    });

    expect(answer.status).toBe(201);
    expect(Object.keys(answer.json).sort()).toEqual(['token', 'token_name', 'valid_until']);
    expect(answer.json).toMatchObject({
      valid_until: '2024-07-11T07:48Z',
      token_name: '82725488-22bf',
    });
    const [header, claims] = String(answer.json.token)
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ typ: 'JWT', kid: 'APIKEY0' });
    expect(claims).toMatchObject({ iat: 1720597711, exp: 1720684111, sub: 'access' });
    expect(answer.headers.get('date')).toBe('Wed, 10 Jul 2024 07:48:31 GMT');

    // Without token_name, a UUID.
    const unnamed = await postJson(sim.tokenUrl, { api_key: apiKey, client_secret: clientSecret });
    expect(unnamed.json.token_name).toMatch(/^[\da-f]{8}-[\da-f]{4}-/);
  });

  test('the token works until valid_until, on the simulator’s own clock', async () => {
    const clock = manualClock(Date.parse('2024-07-10T07:48:31Z'));
    const sim = defer(await startPapayaSimulator({ now: clock.now, clockSkewMs: 3_600_000 }));
    const answer = await postJson(sim.tokenUrl, {
      api_key: sim.credentials.apiKey,
      client_secret: sim.credentials.clientSecret,
    });
    expect(answer.json.valid_until).toBe('2024-07-11T08:48Z');
    expect(answer.headers.get('date')).toBe('Wed, 10 Jul 2024 08:48:31 GMT');
    const auth = { Authorization: `Bearer ${answer.json.token}` };

    clock.advance(24 * 3_600_000 - 31_001); // 07:47:59.999 here, 08:47:59.999 there
    expect((await get(`${sim.apiUrl}/payroll`, auth)).status).toBe(200);
    clock.advance(1);
    expect((await get(`${sim.apiUrl}/payroll`, auth)).status).toBe(401);
  });

  test.each([
    ['a form body', 'form', {}],
    ['a missing client_secret', 'json', { client_secret: undefined }],
    ['a wrong client_secret', 'json', { client_secret: 'nope' }],
    ['an unknown api_key', 'json', { api_key: 'nope' }],
    ['an extra field', 'json', { grant_type: 'client_credentials' }],
  ] as const)('refuses %s with 401 {"error": "Invalid request"}', async (_what, format, change) => {
    const sim = defer(await startPapayaSimulator());
    const fields: Record<string, string | undefined> = {
      api_key: sim.credentials.apiKey,
      client_secret: sim.credentials.clientSecret,
      ...change,
    };
    const body = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const answer =
      format === 'json' ? await postJson(sim.tokenUrl, body) : await postForm(sim.tokenUrl, body);
    expect(answer).toEqual(
      expect.objectContaining({ status: 401, json: { error: 'Invalid request' } }),
    );
  });

  test('refuses non-string fields and lifetimes valid_until cannot express', async () => {
    const sim = defer(await startPapayaSimulator());
    const answer = await postJson(sim.tokenUrl, { api_key: 1, client_secret: true });
    expect(answer.status).toBe(401);
    expect(() => {
      sim.lifetimeSeconds = 59;
    }).toThrow(RangeError);
    await expect(startPapayaSimulator({ lifetimeSeconds: 2 })).rejects.toThrow(
      'lifetimeSeconds must be at least 60 seconds',
    );
  });

  test('papayaValidUntil cuts the seconds off', () => {
    expect(papayaValidUntil(Date.parse('2024-07-11T07:48:59.999Z'))).toBe('2024-07-11T07:48Z');
  });
});
