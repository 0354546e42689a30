/**
 * Interop with oidc-provider over mutual TLS (RFC 8705): tls_client_auth with no secret, access
 * tokens bound to the client certificate (`cnf.x5t#S256` in the provider's introspection), an API
 * that refuses the token on another certificate's connection, and invalid_client for a
 * certificate of another subject or none; through fetch, axios, got and ky, with the recipe's code
 * (docs/recipes/mtls.md).
 */
import { TokenEndpointError } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { statusOfFailedCall } from '../mtls/http-status.ts';
import { mtlsCaller } from '../mtls/mtls-caller.ts';
import { certificateThumbprint, createTestPki } from '../mtls/test-pki.ts';
import { withoutCertificate } from '../mtls/without-certificate.ts';
import { type MtlsConfig, mtlsTokens } from '../recipes/mtls/tokens.ts';
import { clientNames, rejectionOf } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { renderings } from '../test-support/renderings.ts';
import { type MtlsProvider, startMtlsProvider } from './mtls-provider.ts';

const pki = await createTestPki(['cc-mtls', 'intruder']);
const registered = pki.clients['cc-mtls'];

async function start(): Promise<{ server: MtlsProvider; config: MtlsConfig }> {
  const server = defer(await startMtlsProvider({ tls: pki.server, clientId: 'cc-mtls' }));
  const { tokenUrl, apiUrl, clientId } = server;
  return { server, config: { tokenUrl, apiUrl, clientId, certificate: registered } };
}

describe.each(clientNames)('tls_client_auth at oidc-provider, through %s', (name) => {
  test('a token bound to the certificate (cnf.x5t#S256), good on its connection only', async () => {
    const { server, config } = await start();
    const tokens = defer(mtlsTokens(config));

    expect(await mtlsCaller(name, tokens, config)('reports')).toEqual({
      path: '/reports',
      clientId: 'cc-mtls',
    });
    const token = await tokens.getToken();
    expect(token).toMatchObject({ tokenType: 'Bearer' });
    expect(await server.introspect(token.accessToken)).toMatchObject({
      active: true,
      client_id: 'cc-mtls',
      token_type: 'Bearer',
      cnf: { 'x5t#S256': certificateThumbprint(registered.cert) },
    });
    expect(server.stats).toMatchObject({
      grants: ['client_credentials'],
      grantErrors: [],
      serverErrors: [],
    });

    const stolen = mtlsCaller(name, tokens, { ...config, certificate: pki.clients.intruder });
    const error = await rejectionOf(stolen('reports'));
    expect(statusOfFailedCall(error)).toBe(401);
    expect(server.apiStats.apiRejected).toEqual(['certificate mismatch', 'certificate mismatch']);
  });

  test.each([
    ['a certificate of another subject', 'client certificate'],
    ['no certificate', 'none'],
  ] as const)('%s: invalid_client, typed, without the key', async (_case, presents) => {
    const { server, config } = await start();
    const tokens =
      presents === 'none'
        ? defer(withoutCertificate({ ...config, ca: pki.ca })).tokens
        : defer(mtlsTokens({ ...config, certificate: pki.clients.intruder }));
    const error = await rejectionOf(mtlsCaller(name, tokens, config)('reports'));
    expect(error instanceof TokenEndpointError).toBe(true);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 401,
      error: 'invalid_client',
    });
    expect(renderings(error)).not.toContain(pki.clients.intruder.key);
    expect(server.stats).toMatchObject({ grants: [], grantErrors: ['invalid_client'] });
    expect(server.apiStats.apiCalls).toBe(0);
  });
});
