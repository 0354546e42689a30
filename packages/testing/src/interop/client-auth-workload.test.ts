/**
 * Interop with oidc-provider for the client authentication that needs no signing key in
 * tokenwise: a `clientAssertion` callback (workload identity: an assertion made elsewhere, read
 * again for each token request), and `clientAuth: 'auto'` (Basic first, the body after
 * invalid_client, proven against the Personify simulator, which takes the body only, since
 * oidc-provider takes either); each through fetch, axios, got and ky.
 */
import { clientCredentials, createTokenManager } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { personifyAxios } from '../recipes/personify/axios.ts';
import { personifyFetch } from '../recipes/personify/fetch.ts';
import { personifyGot } from '../recipes/personify/got.ts';
import { personifyKy } from '../recipes/personify/ky.ts';
import { startPersonifySimulator } from '../simulators/personify.ts';
import { callerFor, clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import {
  jwtClientMetadata,
  type KeyedClient,
  newJwtClients,
  platformAssertion,
} from './oidc-jwt-clients.ts';
import { startOidcServer } from './oidc-server.ts';

const personifyClients = {
  fetch: personifyFetch,
  axios: personifyAxios,
  got: personifyGot,
  ky: personifyKy,
} as const;
const jwtClients = await newJwtClients();
const startServer = () => startOidcServer({ extraClients: jwtClientMetadata(jwtClients) });
const es256 = jwtClients.keyed.find((client) => client.algorithm === 'ES256') as KeyedClient;

describe('clientAssertion (workload identity)', () => {
  test.each(clientNames)('through %s: an assertion read for every token request', async (name) => {
    const server = defer(await startServer());
    let reads = 0;
    const tokens = defer(
      createTokenManager({
        flow: clientCredentials({
          tokenUrl: server.tokenUrl,
          clientId: es256.clientId,
          clientAssertion: async () => {
            reads++;
            return platformAssertion(es256, server.tokenUrl);
          },
        }),
      }),
    );
    const call = plainCaller(name, tokens, server.apiUrl);
    expect(await call('reports')).toEqual({ path: '/reports', clientId: es256.clientId });
    await tokens.getToken({ forceRefresh: true });
    expect(await call('reports')).toMatchObject({ clientId: es256.clientId });
    expect(reads).toBe(2);
    expect(server.stats).toMatchObject({
      grants: ['client_credentials', 'client_credentials'],
      grantErrors: [],
    });
  });
});

describe("clientAuth: 'auto'", () => {
  test.each(clientNames)(
    'through %s: a server that takes the body only (the Personify simulator): Basic refused once with 400 invalid_client, then the body, remembered',
    async (name) => {
      const sim = defer(await startPersonifySimulator());
      const config = { authUrl: sim.origin, apiUrl: sim.apiUrl, ...sim.credentials };
      const flow = () =>
        clientCredentials({
          // 'auto' remembers per token URL for the whole process, and a port may come back
          // in a later case: the query makes each case's token URL its own.
          tokenUrl: `${sim.origin}/connect/token?case=${name}-body`,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          scope: 'idp_api',
          clientAuth: 'auto',
        });
      for (const tokens of [
        createTokenManager({ flow: flow() }),
        createTokenManager({ flow: flow() }),
      ]) {
        defer(tokens);
        const call = callerFor(name, personifyClients[name](tokens, config), config.apiUrl);
        expect(await call('members')).toBeDefined();
      }
      // The second manager, for the same token URL, started with the body.
      expect(
        sim.log.filter((entry) => entry.kind === 'token').map((entry) => entry.status),
      ).toEqual([400, 200, 200]);
    },
  );

  test.each(clientNames)(
    'through %s: a client_secret_basic client: Basic at once',
    async (name) => {
      const server = defer(await startServer());
      const tokens = defer(
        createTokenManager({
          flow: clientCredentials({
            tokenUrl: server.tokenUrl,
            ...server.basic,
            clientAuth: 'auto',
          }),
        }),
      );
      expect(await plainCaller(name, tokens, server.apiUrl)('reports')).toMatchObject({
        clientId: server.basic.clientId,
      });
      expect(server.stats).toMatchObject({ grants: ['client_credentials'], grantErrors: [] });
    },
  );
});
