/**
 * The workload identity recipes (docs/recipes/workload-identity.md), run against local servers:
 * a Kubernetes projected token file and a GitHub Actions OIDC token against oidc-provider
 * (private_key_jwt with an assertion made outside tokenwise), Azure workload identity against an
 * Entra-shaped token endpoint that checks the documented form, Google workload identity against
 * the strict token exchange server. Each through fetch, axios, got and ky where an API is called.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthFetch } from '@tokenwise/core';
import { afterEach, describe, expect, test } from 'vitest';
import { closeLoopback, listenOnLoopback } from '../interop/loopback-http.ts';
import {
  jwtClientMetadata,
  type KeyedClient,
  newJwtClients,
  platformAssertion,
} from '../interop/oidc-jwt-clients.ts';
import { startOidcServer } from '../interop/oidc-server.ts';
import { startStrictGrantServer } from '../interop/strict-grant-server.ts';
import { clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { azureWorkloadTokens } from './workload-identity/azure.ts';
import { gitHubActionsTokens } from './workload-identity/github-actions.ts';
import { googleWorkloadTokens } from './workload-identity/google.ts';
import { kubernetesTokens } from './workload-identity/kubernetes.ts';

const jwtClients = await newJwtClients();
const es256 = jwtClients.keyed.find((client) => client.algorithm === 'ES256') as KeyedClient;
const startProvider = () => startOidcServer({ extraClients: jwtClientMetadata(jwtClients) });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** A file in a fresh temp directory, as a projected volume would hold it. */
function tokenFile(contents: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenwise-wi-'));
  dirs.push(dir);
  const file = join(dir, 'token');
  writeFileSync(file, contents);
  return file;
}

describe.each(clientNames)('through %s', (name) => {
  test('Kubernetes: the projected token file, read again after the kubelet rotates it', async () => {
    const server = defer(await startProvider());
    const file = tokenFile(platformAssertion(es256, server.tokenUrl));
    const tokens = defer(
      kubernetesTokens({ tokenUrl: server.tokenUrl, clientId: es256.clientId, tokenFile: file }),
    );
    const call = plainCaller(name, tokens, server.apiUrl);
    expect(await call('reports')).toEqual({ path: '/reports', clientId: es256.clientId });
    // The kubelet writes a new token; the old one's jti is spent at the provider anyway.
    writeFileSync(file, platformAssertion(es256, server.tokenUrl));
    await tokens.getToken({ forceRefresh: true });
    expect(await call('reports')).toMatchObject({ clientId: es256.clientId });
    expect(server.stats).toMatchObject({
      grants: ['client_credentials', 'client_credentials'],
      grantErrors: [],
    });
  });

  test("GitHub Actions: the job's OIDC token from the runner, fresh for every token request", async () => {
    const server = defer(await startProvider());
    const requestToken = 'runner-request-token-5e1f';
    const audiences: string[] = [];
    const runner = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://runner');
      if (req.headers.authorization !== `bearer ${requestToken}`)
        return void res.writeHead(401).end();
      audiences.push(url.searchParams.get('audience') ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value: platformAssertion(es256, server.tokenUrl) }));
    });
    const runnerOrigin = await listenOnLoopback(runner);
    defer({ close: () => closeLoopback(runner) });
    const tokens = defer(
      gitHubActionsTokens({
        tokenUrl: server.tokenUrl,
        clientId: es256.clientId,
        audience: server.tokenUrl,
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: `${runnerOrigin}/_apis/pipelines/1/runs/2/idtoken?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
        },
      }),
    );
    expect(await plainCaller(name, tokens, server.apiUrl)('reports')).toMatchObject({
      clientId: es256.clientId,
    });
    await tokens.getToken({ forceRefresh: true });
    expect(audiences).toEqual([server.tokenUrl, server.tokenUrl]);
  });

  test('Google: the subject token file exchanged at the STS', async () => {
    const sts = defer(await startStrictGrantServer());
    const audience =
      '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/gh';
    const file = tokenFile(await sts.upstream.sign({ sub: 'repo:acme/api:ref:refs/heads/main' }));
    const tokens = defer(
      googleWorkloadTokens({ audience, subjectTokenFile: file, stsUrl: sts.tokenUrl }),
    );
    expect(await plainCaller(name, tokens, sts.apiUrl)('buckets')).toEqual({
      path: '/api/buckets',
      subject: 'repo:acme/api:ref:refs/heads/main',
    });
    expect((await tokens.getToken()).raw.issued_token_type).toBe(
      'urn:ietf:params:oauth:token-type:access_token',
    );
  });
});

test('Azure: client_assertion from AZURE_FEDERATED_TOKEN_FILE, as Entra ID documents the request', async () => {
  const federated =
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDphcGkifQ.c2ln';
  const file = tokenFile(`${federated}\n`);
  const forms: Record<string, string>[] = [];
  const entra = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (req.url === '/tenant-1/oauth2/v2.0/token') {
        const form = Object.fromEntries(new URLSearchParams(body));
        forms.push(form);
        const documented = {
          client_id: 'app-client-id',
          grant_type: 'client_credentials',
          scope: 'https://graph.microsoft.com/.default',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: federated,
        };
        const ok =
          JSON.stringify(form) === JSON.stringify({ ...form, ...documented }) &&
          Object.keys(form).length === 5;
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            ok
              ? { token_type: 'Bearer', expires_in: 3599, access_token: 'graph-token-1' }
              : { error: 'invalid_request' },
          ),
        );
        return;
      }
      const authorized = req.headers.authorization === 'Bearer graph-token-1';
      res
        .writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: authorized }));
    });
  });
  const origin = await listenOnLoopback(entra);
  defer({ close: () => closeLoopback(entra) });
  const tokens = defer(
    azureWorkloadTokens('https://graph.microsoft.com/.default', {
      AZURE_AUTHORITY_HOST: `${origin}/`,
      AZURE_TENANT_ID: 'tenant-1',
      AZURE_CLIENT_ID: 'app-client-id',
      AZURE_FEDERATED_TOKEN_FILE: file,
    }),
  );
  const graph = createAuthFetch({ tokens, origins: [origin] });
  expect(await (await graph(`${origin}/v1.0/me`)).json()).toEqual({ ok: true });
  expect(forms).toHaveLength(1);
});
