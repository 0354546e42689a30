/**
 * Interop with oidc-provider for JWT client authentication (RFC 7523 §2.2, OIDC Core §9):
 * private_key_jwt with RSA (RS256 from a PEM, PS256 from a PEM), EC P-256 (ES256 from a JWK) and
 * Ed25519 (EdDSA from a CryptoKey) keys, and client_secret_jwt; each through fetch, axios, got
 * and ky, the token checked by the protected API through introspection. A key the provider does
 * not know is invalid_client, and no assertion shows in the error.
 */
import { clientCredentials, createTokenManager, TokenEndpointError } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { renderings } from '../test-support/renderings.ts';
import { jwtClientMetadata, newJwtClients } from './oidc-jwt-clients.ts';
import { startOidcServer } from './oidc-server.ts';

const jwtClients = await newJwtClients();
const startServer = () => startOidcServer({ extraClients: jwtClientMetadata(jwtClients) });

describe.each(jwtClients.keyed)('private_key_jwt, $algorithm from a $keyForm', (client) => {
  test.each(clientNames)('through %s: token, API call via introspection, renewal', async (name) => {
    const server = defer(await startServer());
    const tokens = defer(
      createTokenManager({
        flow: clientCredentials({
          tokenUrl: server.tokenUrl,
          clientId: client.clientId,
          privateKey: client.privateKey,
          keyId: `${client.clientId}-key`,
          ...(client.algorithm === 'PS256' && { signingAlgorithm: 'PS256' as const }),
        }),
      }),
    );
    const call = plainCaller(name, tokens, server.apiUrl);
    expect(await call('reports')).toEqual({ path: '/reports', clientId: client.clientId });
    await tokens.getToken({ forceRefresh: true });
    expect(await call('reports')).toMatchObject({ clientId: client.clientId });
    expect(server.stats).toMatchObject({
      grants: ['client_credentials', 'client_credentials'],
      grantErrors: [],
      apiRejected: 0,
      serverErrors: [],
    });
  });
});

describe('client_secret_jwt', () => {
  test.each(clientNames)('through %s: token and API call', async (name) => {
    const server = defer(await startServer());
    const tokens = defer(
      createTokenManager({
        flow: clientCredentials({
          tokenUrl: server.tokenUrl,
          ...jwtClients.secretJwt,
          clientAuth: 'client_secret_jwt',
        }),
      }),
    );
    expect(await plainCaller(name, tokens, server.apiUrl)('reports')).toEqual({
      path: '/reports',
      clientId: jwtClients.secretJwt.clientId,
    });
    expect(server.stats).toMatchObject({ grants: ['client_credentials'], serverErrors: [] });
  });
});

test('a key the provider does not know: invalid_client, typed, no assertion or key in the error', async () => {
  const server = defer(await startServer());
  const rs256 = jwtClients.keyed.find((client) => client.algorithm === 'RS256');
  const es256 = jwtClients.keyed.find((client) => client.algorithm === 'ES256');
  if (rs256 === undefined || es256 === undefined) throw new Error('missing test clients');
  const sent: string[] = [];
  const tokens = defer(
    createTokenManager({
      // The RS256 client signing with the ES256 client's key: a valid JWT the provider must refuse.
      flow: clientCredentials({
        tokenUrl: server.tokenUrl,
        clientId: rs256.clientId,
        privateKey: es256.privateKey,
      }),
      fetch: async (input, init) => {
        sent.push(new URLSearchParams(String(init?.body)).get('client_assertion') ?? '');
        return fetch(input, init);
      },
    }),
  );
  const error: unknown = await tokens.getToken().catch((caught: unknown) => caught);
  expect(error instanceof TokenEndpointError).toBe(true);
  expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
  const shown = renderings(error);
  expect(sent[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(shown).not.toContain(sent[0]);
  expect(shown).not.toContain(String((es256.privateKey as JsonWebKey).d));
});
