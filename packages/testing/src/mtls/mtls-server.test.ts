/**
 * The strict mutual TLS server on its own, through plain fetch calls: who gets a token, and which
 * connection may use it.
 */
import { describe, expect, test } from 'vitest';
import { defer } from '../test-support/cleanup.ts';
import { type MtlsServer, startMtlsServer } from './mtls-server.ts';
import { certificateThumbprint, createTestPki } from './test-pki.ts';
import { tlsFetch } from './tls-fetch.ts';

const pki = await createTestPki(['cc-mtls', 'intruder']);
const registered = pki.clients['cc-mtls'];

/** A fetch whose connections present `certificate` (or no certificate, only the CA to trust). */
const fetchAs = (certificate: {
  readonly ca: string;
  readonly key?: string;
  readonly cert?: string;
}) => defer(tlsFetch(certificate)).fetch;

function tokenRequest(
  server: MtlsServer,
  as: typeof fetch,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return as(server.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

const clientCredentials = { grant_type: 'client_credentials', client_id: 'cc-mtls' };

async function issuedToken(server: MtlsServer, as: typeof fetch): Promise<string> {
  const res = await tokenRequest(server, as, clientCredentials);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the token endpoint (tls_client_auth)', () => {
  test('issues a token bound to the registered certificate, to client_id alone', async () => {
    const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
    const res = await tokenRequest(server, fetchAs(registered), clientCredentials);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(server.bindingOf(String(body.access_token))).toMatchObject({
      clientId: 'cc-mtls',
      thumbprint: certificateThumbprint(registered.cert),
    });
    expect(server.stats).toMatchObject({ tokenRequests: 1, tokensIssued: 1, tokenErrors: [] });
  });

  test('refuses a CA-issued certificate of another subject: invalid_client', async () => {
    const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
    const res = await tokenRequest(server, fetchAs(pki.clients.intruder), clientCredentials);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  test.each([
    ['a client_secret', { ...clientCredentials, client_secret: 's3cret' }, {}],
    ['a Basic header', clientCredentials, { Authorization: `Basic ${btoa('cc-mtls:s3cret')}` }],
    ['no client_id', { grant_type: 'client_credentials' }, {}],
  ])('refuses a request with %s: invalid_request', async (_name, fields, headers) => {
    const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
    const res = await tokenRequest(server, fetchAs(registered), fields, headers);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expect(server.stats).toMatchObject({ tokensIssued: 0, tokenErrors: ['invalid_request'] });
  });

  test.each([
    ['no client certificate', { ca: pki.ca }],
    ['a certificate from another CA', pki.untrusted],
  ])('ends a connection with %s in the TLS handshake', async (_name, certificate) => {
    const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
    const error: unknown = await tokenRequest(server, fetchAs(certificate), clientCredentials).then(
      () => expect.unreachable('the request was answered'),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(server.stats.tokenRequests).toBe(0);
  });
});

describe('the certificate-bound API', () => {
  test('answers the bound token on its certificate’s connection only', async () => {
    const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
    const asRegistered = fetchAs(registered);
    const token = await issuedToken(server, asRegistered);
    const bearer = { headers: { Authorization: `Bearer ${token}` } };

    const ok = await asRegistered(`${server.apiUrl}/reports`, bearer);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ path: '/reports', clientId: 'cc-mtls' });

    const stolen = await fetchAs(pki.clients.intruder)(`${server.apiUrl}/reports`, bearer);
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="certificate mismatch"',
    );
    await stolen.body?.cancel();
    expect(server.stats).toMatchObject({ apiCalls: 2, apiRejected: ['certificate mismatch'] });
  });

  test('refuses no token, an unknown token and an expired one', async () => {
    const server = defer(
      await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls', accessTokenTtl: 0 }),
    );
    const asRegistered = fetchAs(registered);
    const expired = await issuedToken(server, asRegistered);
    for (const headers of [
      {},
      { Authorization: 'Bearer nope' },
      { Authorization: `Bearer ${expired}` },
    ]) {
      const res = await asRegistered(`${server.apiUrl}/reports`, { headers });
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    expect(server.stats.apiRejected).toEqual(['no token', 'unknown token', 'unknown token']);
  });
});
