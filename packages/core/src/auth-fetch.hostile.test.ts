/**
 * createAuthFetch against broken and hostile peers: header values that cannot be sent unchanged,
 * 401s from hosts that never saw the token, an API that rejects every token, and what an error
 * shows when it is logged.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from './auth-fetch.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import {
  type AuthServer,
  clientId,
  clientSecret,
  closeAllServers,
  closedPortUrl,
  startAuthServer,
} from './test-support/auth-server.ts';
import { invalidHeaders, validHeaderValue } from './test-support/header-values.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

let server: AuthServer;
/** Another origin (localhost instead of 127.0.0.1). */
let other: AuthServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startAuthServer();
  other = await startAuthServer({ hostname: 'localhost' });
  tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
});

afterEach(async () => {
  await tokens.close();
  await closeAllServers();
});

function authFetch(options: Partial<AuthFetchOptions> = {}): AuthFetch {
  return createAuthFetch({ tokens, ...options });
}

describe('header hygiene', () => {
  it.each(invalidHeaders)(
    'refuses static headers with $case at creation, naming the header',
    ({ headers, name }) => {
      expect(() => authFetch({ headers })).toThrow(TypeError);
      expect(() => authFetch({ headers })).toThrow(name);
    },
  );

  it.each(invalidHeaders)(
    'rejects a request whose header function returns $case, sending nothing',
    async ({ headers, name }) => {
      const fetch = authFetch({ headers: () => headers });
      const error = await fetch(server.url('/members')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toContain(name);
      expect(server.apiCalls).toHaveLength(0);
    },
  );

  it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
    await fc.assert(
      fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
        const headers = { 'X-Value': value };
        const fetch = authFetch({ headers: fromFunction ? () => headers : headers });
        const response = await fetch(server.url('/members'));
        await response.body?.cancel();
        expect(server.apiCalls.at(-1)?.headers['x-value']).toBe(value);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('origins', () => {
  const redirect = (to: string): string =>
    server.url(`/redirect?${new URLSearchParams({ to, status: '302' })}`);

  it('neither drops nor renews the token for a 401 from an allowed origin it was not sent to (a redirect target)', async () => {
    const fetch = authFetch({ origins: [server.origin, other.origin] });
    expect((await fetch(server.url('/warm'))).status).toBe(200);
    const response = await fetch(redirect(other.url('/private')));
    expect(response.status).toBe(401);
    expect(other.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(server.tokenRequests).toHaveLength(1);
    expect((await fetch(server.url('/members'))).status).toBe(200);
    expect(server.apiCalls.at(-1)?.headers.authorization).toBe(`Bearer ${server.issued[0]}`);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
    const fetch = authFetch({ origins: [server.origin, other.origin] });
    expect((await fetch(server.url('/warm'))).status).toBe(200);
    const bounce = redirect(
      other.url(`/redirect?${new URLSearchParams({ to: server.url('/back') })}`),
    );
    const response = await fetch(bounce);
    expect(response.status).toBe(401);
    expect(server.apiCalls.at(-1)).toMatchObject({ path: '/back' });
    expect(server.apiCalls.at(-1)?.headers.authorization).toBeUndefined();
    expect(server.tokenRequests).toHaveLength(1);
    // No cool-down either: a genuine revocation is renewed at once.
    server.revoke(server.issued[0] as string);
    expect((await fetch(server.url('/members'))).status).toBe(200);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('sends nothing to, and retries nothing from, an origin outside origins', async () => {
    const fetch = authFetch({ origins: [server.origin] });
    const response = await fetch(other.url('/private'));
    expect(response.status).toBe(401);
    expect(other.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(other.apiCalls).toHaveLength(1);
    expect(server.tokenRequests).toHaveLength(0);
  });
});

describe('bounded re-authorization', () => {
  it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
    server.apiAlways401 = true;
    const fetch = authFetch();
    for (let i = 0; i < 20; i++) {
      expect((await fetch(server.url(`/sequential/${i}`))).status).toBe(401);
    }
    const sequential = server.tokenRequests.length;
    const concurrent = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetch(server.url(`/concurrent/${i}`))),
    );
    expect(concurrent.map((response) => response.status)).toEqual(Array(50).fill(401));
    expect({ sequential, total: server.tokenRequests.length }).toEqual({
      sequential: 2,
      total: 2,
    });
  });

  it('shares the bound between fetch wrappers of one manager', async () => {
    server.apiAlways401 = true;
    const first = authFetch();
    const second = authFetch({ headers: { 'X-Tenant-Id': 'acme' } });
    for (let i = 0; i < 20; i++) {
      expect((await (i % 2 === 0 ? first : second)(server.url(`/shared/${i}`))).status).toBe(401);
    }
    expect(server.tokenRequests).toHaveLength(2);
  });
});

describe('what a logged error shows', () => {
  const secretHeader = 'tenant-secret-4c1d';

  it('a network error after the token was attached shows neither token nor extra headers', async () => {
    await tokens.getToken();
    const fetch = authFetch({ headers: { 'X-Tenant-Key': secretHeader } });
    const error = await fetch(await closedPortUrl('/members')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    for (const rendering of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity }),
    ]) {
      expect(rendering).not.toContain(server.issued[0]);
      expect(rendering).not.toContain(secretHeader);
    }
  });

  it('a 401 response shows neither token nor extra headers', async () => {
    server.apiAlways401 = true;
    const fetch = authFetch({ headers: { 'X-Tenant-Key': secretHeader } });
    const response = await fetch(server.url('/members'));
    expect(response.status).toBe(401);
    const rendering = inspect(response, { depth: Infinity });
    for (const token of server.issued) expect(rendering).not.toContain(token);
    expect(rendering).not.toContain(secretHeader);
  });
});
