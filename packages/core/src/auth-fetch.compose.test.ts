/**
 * createAuthFetch wrappers composed: one per vendor, each with its own manager and `origins`,
 * passed as each other's `fetch`, against real loopback servers.
 */
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthFetch, createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

/** One vendor: its API and token endpoint, and a manager of its tokens. */
interface Vendor {
  readonly server: LoopbackServer;
  readonly tokens: TokenManager;
}

let vendors: Vendor[];

beforeEach(async () => {
  vendors = await Promise.all(
    ['127.0.0.1', 'localhost', '127.0.0.1'].map(async (hostname) => {
      const server = await startServer(hostname);
      const flow = clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret });
      return { server, tokens: createTokenManager({ flow, retry: false }) };
    }),
  );
});

afterEach(async () => {
  await Promise.all(vendors.map(({ tokens }) => tokens.close()));
  await closeAllServers();
});

/** Each vendor's wrapper around the previous one's: the outermost is the last vendor's. */
function composed(): AuthFetch {
  return vendors.reduce<typeof fetch>(
    (inner, { server, tokens }, i) =>
      createAuthFetch({
        tokens,
        origins: [server.origin],
        headers: { 'X-Vendor': `v${i}` },
        fetch: inner,
      }),
    (input, init) => globalThis.fetch(input, init),
  );
}

/** What each vendor's API saw: `<token index> <X-Vendor>`, the token named by its issue order. */
function seen(): string[][] {
  return vendors.map(({ server }) =>
    server.apiCalls.map((call) => {
      const token = call.headers.authorization?.replace('Bearer ', '') ?? '';
      return `${server.issued.indexOf(token)} ${call.headers['x-vendor']}`;
    }),
  );
}

describe('composed wrappers', () => {
  it('three wrappers: each sends only its own token to its own origin, and renews only its own', async () => {
    const fetch = composed();
    const callAll = async (): Promise<void> => {
      for (const { server } of vendors)
        expect((await fetch(server.url('/members'))).status).toBe(200);
    };
    await callAll();
    const [, b] = vendors as [Vendor, Vendor];
    b.server.revoke(b.server.issued[0] as string);
    await callAll();
    expect(vendors.map(({ server }) => server.tokenRequests.length)).toEqual([1, 2, 1]);
    expect(seen()).toEqual([
      ['0 v0', '0 v0'],
      ['0 v1', '0 v1', '1 v1'],
      ['0 v2', '0 v2'],
    ]);
  });

  it('skipAuth reaches every wrapper: no token from any of them', async () => {
    const fetch = composed();
    for (const { server } of vendors) {
      const response = await fetch(server.url('/public/health'), { skipAuth: true });
      expect(response.status).toBe(200);
    }
    expect(seen()).toEqual([['-1 undefined'], ['-1 undefined'], ['-1 undefined']]);
    expect(vendors.map(({ server }) => server.tokenRequests.length)).toEqual([0, 0, 0]);
  });
});
