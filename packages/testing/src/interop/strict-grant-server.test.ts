/**
 * The strict grant server refuses what RFC 8693 and RFC 7523 do not allow, so that tokenwise
 * passing against it means something: a missing or unknown token type, a lone actor token, a
 * subject token with a bad signature, an assertion with a wrong aud or an expired exp, a client
 * secret, a client assertion signed by another key, a body that is no form.
 */
import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { startStrictGrantServer } from './strict-grant-server.ts';

describe('the strict server refuses what the RFCs do not allow', () => {
  const post = async (
    url: string,
    form: Record<string, string>,
    contentType = 'application/x-www-form-urlencoded',
  ) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new URLSearchParams(form),
    });
    return {
      status: response.status,
      ...((await response.json()) as { error?: string; error_description?: string }),
    };
  };
  const exchange = 'urn:ietf:params:oauth:grant-type:token-exchange';

  test('token exchange', async () => {
    const sts = defer(await startStrictGrantServer());
    const subject = await sts.upstream.sign({ sub: 'u' });
    const cases: [Record<string, string>, string][] = [
      [{ grant_type: exchange, subject_token: subject }, 'subject_token_type is required'],
      [{ grant_type: exchange, subject_token_type: sts.jwtType }, 'subject_token is required'],
      [
        { grant_type: exchange, subject_token: subject, subject_token_type: 'urn:example:unknown' },
        'unknown subject_token_type',
      ],
      [
        {
          grant_type: exchange,
          subject_token: subject,
          subject_token_type: sts.jwtType,
          actor_token: subject,
        },
        'actor_token and actor_token_type go together',
      ],
      [
        {
          grant_type: exchange,
          subject_token: subject,
          subject_token_type: sts.jwtType,
          actor_token_type: sts.jwtType,
        },
        'actor_token and actor_token_type go together',
      ],
      [
        { grant_type: exchange, subject_token: `${subject}x`, subject_token_type: sts.jwtType },
        'subject_token: bad signature',
      ],
    ];
    for (const [form, problem] of cases)
      expect(await post(sts.tokenUrl, form)).toMatchObject({
        status: 400,
        error_description: problem,
      });
  });

  test('JWT bearer and client assertions', async () => {
    const sts = defer(await startStrictGrantServer());
    const bearer = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const wrongAud = await sts.upstream.sign({ sub: 's', aud: 'https://elsewhere.test/token' });
    const expired = await sts.upstream.sign({ sub: 's', aud: sts.tokenUrl }, -1);
    expect(await post(sts.tokenUrl, { grant_type: bearer, assertion: wrongAud })).toMatchObject({
      status: 400,
      error_description: 'assertion: wrong aud',
    });
    expect(await post(sts.tokenUrl, { grant_type: bearer, assertion: expired })).toMatchObject({
      status: 400,
      error_description: 'assertion: expired',
    });
    expect(await post(sts.tokenUrl, { grant_type: bearer })).toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
    expect(
      await post(sts.tokenUrl, {
        grant_type: bearer,
        assertion: wrongAud,
        client_id: 'x',
        client_secret: 'y',
      }),
    ).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(
      await post(sts.tokenUrl, {
        grant_type: bearer,
        assertion: wrongAud,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await sts.upstream.sign({ sub: sts.client.clientId, aud: sts.tokenUrl }),
      }),
    ).toMatchObject({ status: 401, error_description: 'client assertion: bad signature' });
    expect(
      await post(sts.tokenUrl, { grant_type: bearer, assertion: wrongAud }, 'application/json'),
    ).toMatchObject({ status: 400, error_description: 'the body must be a form' });
  });
});
