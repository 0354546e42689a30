/**
 * The mutual TLS recipe (docs/recipes/mtls.md) through a real TLS handshake on loopback, against a
 * server that requires client certificates: tokens obtained with tls_client_auth (no secret),
 * bound to the certificate, and refused on a connection that presents another one; through
 * fetch, axios, got and ky.
 */
import { TokenEndpointError, TokenRequestError } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { statusOfFailedCall } from '../mtls/http-status.ts';
import { mtlsCaller } from '../mtls/mtls-caller.ts';
import { startMtlsServer } from '../mtls/mtls-server.ts';
import { certificateThumbprint, createTestPki } from '../mtls/test-pki.ts';
import { withoutCertificate } from '../mtls/without-certificate.ts';
import { clientNames, rejectionOf } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { renderings } from '../test-support/renderings.ts';
import type { ClientCertificate } from './mtls/certificate-fetch.ts';
import { type MtlsConfig, mtlsTokens } from './mtls/tokens.ts';

const pki = await createTestPki(['cc-mtls', 'intruder']);
const registered: ClientCertificate = pki.clients['cc-mtls'];

async function start(): Promise<{
  server: Awaited<ReturnType<typeof startMtlsServer>>;
  config: MtlsConfig;
}> {
  const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
  const { tokenUrl, apiUrl, clientId } = server;
  return { server, config: { tokenUrl, apiUrl, clientId, certificate: registered } };
}

describe.each(clientNames)('mutual TLS through %s', (name) => {
  test('a token for the certificate alone (no secret) calls the API that checks the binding', async () => {
    const { server, config } = await start();
    const tokens = defer(mtlsTokens(config));
    const call = mtlsCaller(name, tokens, config);

    expect(await call('reports')).toEqual({ path: '/reports', clientId: 'cc-mtls' });
    expect(await call('reports?page=2')).toEqual({ path: '/reports', clientId: 'cc-mtls' });
    const token = await tokens.getToken();
    expect(token).toMatchObject({ tokenType: 'Bearer' });
    // The strict endpoint refuses a secret or a Basic header (invalid_request): none was sent.
    expect(server.stats).toMatchObject({ tokenRequests: 1, tokensIssued: 1, tokenErrors: [] });
    expect(server.bindingOf(token.accessToken)?.thumbprint).toBe(
      certificateThumbprint(registered.cert),
    );
    expect(server.stats).toMatchObject({ apiCalls: 2, apiRejected: [] });
  });

  test('the same token over a connection with another certificate is refused', async () => {
    const { server, config } = await start();
    const tokens = defer(mtlsTokens(config));
    const stolen = mtlsCaller(name, tokens, { ...config, certificate: pki.clients.intruder });

    const error = await rejectionOf(stolen('reports'));
    expect(statusOfFailedCall(error)).toBe(401);
    const token = await tokens.getToken();
    expect(server.bindingOf(token.accessToken)?.thumbprint).toBe(
      certificateThumbprint(registered.cert),
    );
    // Refused, renewed once after the 401, refused again: the token is only good with its certificate.
    expect(server.stats.apiRejected).toEqual(['certificate mismatch', 'certificate mismatch']);
    expect(await mtlsCaller(name, tokens, config)('reports')).toMatchObject({
      clientId: 'cc-mtls',
    });
  });

  test('another CA-issued certificate gets invalid_client, typed', async () => {
    const { server, config } = await start();
    const certificate = pki.clients.intruder;
    const tokens = defer(mtlsTokens({ ...config, certificate }));

    const error = await rejectionOf(
      mtlsCaller(name, tokens, { ...config, certificate })('reports'),
    );
    expect(error instanceof TokenEndpointError).toBe(true);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(renderings(error)).not.toContain(certificate.key);
    expect(server.stats).toMatchObject({ tokenErrors: ['invalid_client'], apiCalls: 0 });
  });
});

describe('a token request that presents no trusted certificate fails in the handshake', () => {
  test.each(clientNames)('no certificate, through %s: a TokenRequestError', async (name) => {
    const { server, config } = await start();
    const { tokens } = defer(withoutCertificate({ ...config, ca: pki.ca }));
    const error = await rejectionOf(mtlsCaller(name, tokens, config)('reports'));
    expect(error instanceof TokenRequestError).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
    expect(server.stats).toMatchObject({ tokenRequests: 0, apiCalls: 0 });
  });

  test.each(clientNames)('a certificate from another CA, through %s', async (name) => {
    const { server, config } = await start();
    const tokens = defer(mtlsTokens({ ...config, certificate: pki.untrusted }));
    const error = await rejectionOf(mtlsCaller(name, tokens, config)('reports'));
    expect(error instanceof TokenRequestError).toBe(true);
    expect(renderings(error)).not.toContain(pki.untrusted.key);
    expect(server.stats).toMatchObject({ tokenRequests: 0, apiCalls: 0 });
  });
});
