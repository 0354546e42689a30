/**
 * `clientAssertion`: a ready assertion (workload identity) read again for every token request;
 * a callback that fails is a TokenRequestInputError that shows nothing it held.
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { recordingTokenEndpoint } from '../test-support/signing-keys.ts';
import { TokenRequestInputError } from '../token-request-input-error.ts';
import { authorizationCode } from './authorization-code.ts';
import { clientCredentials } from './client-credentials.ts';

const tokenUrl = 'https://login.example.com/tenant/oauth2/v2.0/token';

describe('clientAssertion', () => {
  const manage = managersClosedAfterEach();

  test('implies private_key_jwt and is called for every token request', async () => {
    const endpoint = recordingTokenEndpoint();
    let calls = 0;
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl,
        clientId: 'workload-1',
        clientAssertion: async () => `projected.token.v${++calls}\n`,
        scope: 'api://orders/.default',
      }),
      fetch: endpoint.fetch,
    });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(endpoint.bodies.map((body) => Object.fromEntries(body))).toEqual(
      [1, 2].map((n) => ({
        grant_type: 'client_credentials',
        scope: 'api://orders/.default',
        client_id: 'workload-1',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: `projected.token.v${n}`,
      })),
    );
  });

  test.each([
    {
      name: 'throws',
      callback: () => {
        throw new Error(
          'cannot read /var/run/secrets/tokens/azure-identity-token: sa-TOKEN-0f3a7c',
        );
      },
      problem: /clientAssertion threw; no token request was sent$/,
    },
    {
      name: 'returns undefined',
      callback: () => undefined,
      problem: /returned undefined instead of a non-empty string/,
    },
    {
      name: 'returns an empty string',
      callback: async () => '',
      problem: /returned an empty string instead/,
    },
  ])(
    'a callback that $name: TokenRequestInputError, nothing sent',
    async ({ callback, problem }) => {
      const endpoint = recordingTokenEndpoint();
      const tokens = manage({
        flow: clientCredentials({
          tokenUrl,
          clientId: 'workload-1',
          clientAssertion: callback as never,
        }),
        fetch: endpoint.fetch,
        retry: false,
      });
      const error = await tokens.getToken().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenRequestInputError);
      expect(error).toMatchObject({
        code: 'ERR_TOKEN_REQUEST_INPUT',
        option: 'clientCredentials: clientAssertion',
      });
      expect((error as Error).message).toMatch(problem);
      expect(endpoint.bodies).toHaveLength(0);
    },
  );

  test('an assertion the server rejects is not shown in the error', async () => {
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLVNFQ1JFVA';
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl,
        clientId: 'workload-1',
        clientAssertion: () => assertion,
      }),
      fetch: async () =>
        Response.json(
          {
            error: 'invalid_client',
            error_description: `AADSTS700024: assertion ${assertion} is expired`,
          },
          { status: 401 },
        ),
      retry: false,
    });
    const error = await tokens.getToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
    for (const rendering of [String(error), JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(rendering).not.toContain(assertion);
      expect(rendering).not.toContain('c2lnbmF0dXJlLVNFQ1JFVA');
    }
  });
});

/** An authorization code flow whose `clientAssertion` is `assertion(call)`, call 1 first. */
function codeFlowAsserting(assertion: (call: number) => string) {
  let calls = 0;
  return authorizationCode({
    tokenUrl,
    clientId: 'web',
    code: 'code-1',
    redirectUri: 'https://app.example/cb',
    clientAssertion: () => assertion(++calls),
  });
}

describe('clientAssertion with an authorization code', () => {
  const manage = managersClosedAfterEach();

  test('a callback that fails leaves the code unsent: the next getToken() exchanges it', async () => {
    const endpoint = recordingTokenEndpoint(() =>
      Response.json({ access_token: 'at', refresh_token: 'rt', expires_in: 3600 }),
    );
    const tokens = manage({
      flow: codeFlowAsserting((call) => {
        if (call === 1) throw new Error('token file not mounted yet');
        return 'workload.assertion.2';
      }),
      fetch: endpoint.fetch,
      failureBackoffMs: 0,
    });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenRequestInputError);
    expect((await tokens.getToken()).accessToken).toBe('at');
    expect(endpoint.bodies.map((body) => body.get('code'))).toEqual(['code-1']);
  });

  test('a code the server answered is spent, even when the retry’s assertion fails', async () => {
    let sentCodes = 0;
    const endpoint = recordingTokenEndpoint(() => {
      sentCodes++;
      return new Response('busy', { status: 503 });
    });
    const tokens = manage({
      flow: codeFlowAsserting((call) => {
        if (call === 2) throw new Error('token file rotated away');
        return `workload.assertion.${call}`;
      }),
      fetch: endpoint.fetch,
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 },
      failureBackoffMs: 0,
    });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenRequestInputError);
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
    expect(sentCodes).toBe(1); // the answered code is not sent again
  });
});
