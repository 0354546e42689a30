import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Badgateway from '@badgateway/oauth2-client';
import type * as Core from '@tokenwise/core';
import type { InProcessTransport } from '../in-process.ts';
import { benchClient } from '../server.ts';

const baseUrl = 'http://127.0.0.1:9';
const tokenUrl = `${baseUrl}/oauth/token`;

/** The two libraries, as installed in the packed project. */
export interface Libraries {
  readonly core: typeof Core;
  readonly badgateway: typeof Badgateway;
}

/**
 * Imports `@tokenwise/core` and `@badgateway/oauth2-client` as installed in `projectDir` (see
 * `packedProject()`), so that the heap measured is that of the published files.
 *
 * @example
 * ```ts
 * const libraries = await loadLibraries(project.dir);
 * ```
 */
export async function loadLibraries(projectDir: string): Promise<Libraries> {
  const resolve = createRequire(join(projectDir, 'package.json')).resolve;
  const load = (name: string): Promise<unknown> => import(pathToFileURL(resolve(name)).href);
  return {
    core: (await load('@tokenwise/core')) as typeof Core,
    badgateway: (await load('@badgateway/oauth2-client')) as typeof Badgateway,
  };
}

/**
 * One way an application holds an idle token source with its token (a tenant's credentials
 * waiting for the next request), with or without a fetch wrapper on top. The client settings
 * (URLs, id, secret) are shared strings, so that only what the library allocates per manager
 * counts, plus the token it holds (parsed from the in-process token endpoint's answer).
 */
export interface IdleManager {
  /** The name in the tables. */
  readonly name: string;
  readonly library: 'tokenwise' | '@badgateway/oauth2-client';
  /** Whether a fetch wrapper (`createAuthFetch`, `OAuth2Fetch`) sits on the manager. */
  readonly withFetch: boolean;
  /**
   * Creates one, brings it to holding a token (through one request when there is a wrapper), and
   * hands `keep` what the application keeps a reference to.
   */
  create(
    libraries: Libraries,
    transport: InProcessTransport,
    keep: (value: unknown) => void,
  ): Promise<void>;
}

function tokenwiseManager({ core }: Libraries, transport: InProcessTransport): Core.TokenManager {
  return core.createTokenManager({
    flow: core.clientCredentials({
      tokenUrl,
      clientId: benchClient.id,
      clientSecret: benchClient.secret,
    }),
    fetch: transport.tokenFetch,
  });
}

function badgatewayClient(
  { badgateway }: Libraries,
  transport: InProcessTransport,
): Badgateway.OAuth2Client {
  return new badgateway.OAuth2Client({
    server: baseUrl,
    tokenEndpoint: tokenUrl,
    clientId: benchClient.id,
    clientSecret: benchClient.secret,
    fetch: transport.tokenFetch,
  });
}

async function expectOk(response: Promise<Response>): Promise<void> {
  const res = await response;
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`in-process request answered ${res.status}`);
}

/**
 * tokenwise's manager with and without `createAuthFetch`, and their `@badgateway/oauth2-client`
 * equivalents: an `OAuth2Client` with the token its `clientCredentials()` returned, and the same
 * with an `OAuth2Fetch` (which holds the token itself; with no refresh token it schedules no
 * refresh timer).
 *
 * @example
 * ```ts
 * const kept: unknown[] = [];
 * await idleManagers[0].create(libraries, inProcessTransport(), (value) => kept.push(value));
 * ```
 */
export const idleManagers: readonly IdleManager[] = [
  {
    name: 'tokenwise: createTokenManager + clientCredentials',
    library: 'tokenwise',
    withFetch: false,
    async create(libraries, transport, keep) {
      const tokens = tokenwiseManager(libraries, transport);
      await tokens.getToken();
      keep(tokens);
    },
  },
  {
    name: 'tokenwise: + createAuthFetch',
    library: 'tokenwise',
    withFetch: true,
    async create(libraries, transport, keep) {
      const tokens = tokenwiseManager(libraries, transport);
      const authedFetch = libraries.core.createAuthFetch({
        tokens,
        origins: [baseUrl],
        fetch: transport.fetch,
      });
      await expectOk(authedFetch(`${baseUrl}/api/items`));
      keep(tokens);
      keep(authedFetch);
    },
  },
  {
    name: '@badgateway/oauth2-client: OAuth2Client + its token',
    library: '@badgateway/oauth2-client',
    withFetch: false,
    async create(libraries, transport, keep) {
      const client = badgatewayClient(libraries, transport);
      keep(client);
      keep(await client.clientCredentials());
    },
  },
  {
    name: '@badgateway/oauth2-client: + OAuth2Fetch',
    library: '@badgateway/oauth2-client',
    withFetch: true,
    async create(libraries, transport, keep) {
      const client = badgatewayClient(libraries, transport);
      const wrapper = new libraries.badgateway.OAuth2Fetch({
        client,
        getNewToken: () => client.clientCredentials(),
      });
      // `wrapper.fetch` with the in-process fetch as the next step, as in scenario 4.
      await expectOk(wrapper.mw()(new Request(`${baseUrl}/api/items`), transport.fetch));
      keep(client);
      keep(wrapper);
    },
  },
];
