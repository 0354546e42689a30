/**
 * No client assertion, private key (PEM lines, JWK `d`), HMAC secret, subject or actor token and
 * no JWT-bearer assertion in any rendering of an error, even when a server or a runtime echoes
 * every one of them back: every rendering of the test kit's `renderings` (down the cause chain).
 */
import { renderings } from '@tokenwise/test-kit';
import { describe, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { jwtBearer } from './flows/jwt-bearer.ts';
import { tokenExchange } from './flows/token-exchange.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import { testKeyPair } from './test-support/signing-keys.ts';

const tokenUrl = 'https://auth.example.com/oauth2/token';
const jwtType = 'urn:ietf:params:oauth:token-type:jwt';

describe('no assertion, key or subject token through the real paths', async () => {
  const rsa = await testKeyPair('RS256');
  const ec = await testKeyPair('ES256');
  const pemLines = rsa.pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
  const hmacSecret = 'cs-HMAC-SECRET-9a8b7c6d';
  const subjectToken = 'subject-TOKEN-4e5f6a7b';
  const actorToken = 'actor-TOKEN-1c2d3e4f';
  const grantAssertion = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJncmFudCJ9.GRANT-SIGNATURE-5a6b';
  const workloadAssertion = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYTpkZWZhdWx0In0.WORKLOAD-SIG-7c8d';
  const manage = managersClosedAfterEach();

  /** What the hostile endpoint echoes besides the request body: the key material, as a runtime might. */
  const keyEcho = [pemLines[3], String(ec.jwk.d), hmacSecret].join(' ');
  const echoes: { name: string; fetch: typeof globalThis.fetch }[] = [
    {
      name: 'a 401 whose description echoes the request and the keys',
      fetch: async (_input, init) =>
        Response.json(
          {
            error: 'invalid_client',
            error_description: `keys ${keyEcho} bad request ${String(init?.body)}`,
          },
          { status: 401 },
        ),
    },
    {
      name: 'an HTML 500 that echoes them',
      fetch: async (_input, init) =>
        new Response(`<pre>${keyEcho}\n${String(init?.body)}</pre>`, {
          status: 500,
          headers: { 'content-type': 'text/html' },
        }),
    },
    {
      name: 'a network error that quotes them',
      fetch: async (_input, init) => {
        throw new TypeError('fetch failed', {
          cause: new Error(`socket hang up: ${keyEcho} sending ${String(init?.body)}`),
        });
      },
    },
  ];
  const flows: { name: string; flow: () => Flow; secrets: string[] }[] = [
    {
      name: 'private_key_jwt with an RSA PEM',
      flow: () => clientCredentials({ tokenUrl, clientId: 'app', privateKey: rsa.pem }),
      secrets: [String(pemLines[3])],
    },
    {
      name: 'private_key_jwt with an EC JWK',
      flow: () => clientCredentials({ tokenUrl, clientId: 'app', privateKey: ec.jwk }),
      secrets: [String(ec.jwk.d)],
    },
    {
      name: 'client_secret_jwt',
      flow: () =>
        clientCredentials({
          tokenUrl,
          clientId: 'app',
          clientSecret: hmacSecret,
          clientAuth: 'client_secret_jwt',
        }),
      secrets: [hmacSecret],
    },
    {
      name: 'a clientAssertion callback',
      flow: () =>
        clientCredentials({
          tokenUrl,
          clientId: 'app',
          clientAssertion: async () => workloadAssertion,
        }),
      secrets: [workloadAssertion, 'WORKLOAD-SIG-7c8d'],
    },
    {
      name: 'tokenExchange with subject and actor token functions',
      flow: () =>
        tokenExchange({
          tokenUrl,
          subjectToken: async () => subjectToken,
          subjectTokenType: jwtType,
          actorToken: actorToken,
          actorTokenType: jwtType,
        }),
      secrets: [subjectToken, actorToken],
    },
    {
      name: 'jwtBearer with an assertion function',
      flow: () => jwtBearer({ tokenUrl, assertion: () => grantAssertion }),
      secrets: [grantAssertion, 'GRANT-SIGNATURE-5a6b'],
    },
  ];
  const cases = flows.flatMap((flow) =>
    echoes.map((echo) => ({ ...flow, echo: echo.name, fetch: echo.fetch })),
  );

  test.each(cases)('$name, $echo', async ({ flow, fetch, secrets }) => {
    const sent: string[] = [];
    const manager = manage({
      flow: flow(),
      fetch: async (input, init) => {
        sent.push(String(init?.body));
        return fetch(input, init);
      },
      retry: false,
    });
    const error = await manager.getToken().then(
      () => expect.unreachable('getToken should reject'),
      (caught: unknown) => caught,
    );
    expect(error instanceof TokenwiseError).toBe(true);
    // Whatever assertion was sent is a secret too.
    const assertions = sent.flatMap((body) => new URLSearchParams(body).getAll('client_assertion'));
    for (const view of renderings(error)) {
      for (const secret of [...secrets, ...assertions]) expect(view).not.toContain(secret);
      for (const assertion of assertions) expect(view).not.toContain(assertion.split('.')[2]);
    }
  });
});
