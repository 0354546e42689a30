/**
 * Per-request token parameters (RFC 8707 resource, scope): one cache entry per parameter set, each
 * with its own token request, single flight and invalidation, and flows that refuse them.
 */
import { describe, expect, it } from 'vitest';
import type { TokenEvent } from './events/token-event.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { maxParameterSets } from './manager/parameter-views.ts';
import { createTokenManager } from './token-manager.ts';
import { MemoryTokenStore } from './token-store.ts';

const tokenUrl = 'https://auth.example.com/token';

/** A token endpoint that answers each request with a token naming its scope and resource. */
function endpoint() {
  const bodies: URLSearchParams[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const body = new URLSearchParams(String(init?.body));
    bodies.push(body);
    const name = `${body.getAll('resource').join('+') || '-'}|${body.get('scope') ?? '-'}#${bodies.length}`;
    return Response.json({ access_token: name, expires_in: 3600, token_type: 'Bearer' });
  };
  return { fetch, bodies };
}

function manager(fetch: typeof globalThis.fetch, store = new MemoryTokenStore()) {
  const flow = clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's', scope: 'base' });
  return createTokenManager({ flow, fetch, store });
}

describe('getToken({ scope, resource })', () => {
  it('asks for the overriding scope and resource, one token request per parameter set', async () => {
    const { fetch, bodies } = endpoint();
    const tokens = manager(fetch);
    const billing = { resource: 'https://billing.example.com', scope: 'invoices:read' };
    const [a, b, c, d] = await Promise.all([
      tokens.getToken(billing),
      tokens.getToken({ scope: ['invoices:read'], resource: ['https://billing.example.com'] }),
      tokens.getToken(),
      tokens.getToken({ resource: 'https://crm.example.com' }),
    ]);
    expect(a).toBe(b); // the same parameters, however written: one entry, one request
    // Sent concurrently: in no promised order.
    const sent = bodies.map((body) => [body.get('scope'), body.getAll('resource')]);
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(
      expect.arrayContaining([
        ['invoices:read', ['https://billing.example.com']],
        ['base', []],
        ['base', ['https://crm.example.com']], // the flow's scope stays where none is asked for
      ]),
    );
    expect(new Set([a.accessToken, c.accessToken, d.accessToken]).size).toBe(3);
    // Served from each entry's cache afterwards.
    expect(await tokens.getToken(billing)).toBe(a);
    expect(await tokens.getToken()).toBe(c);
    expect(bodies).toHaveLength(3);
    await tokens.close();
  });

  it("keeps the flow's audience, and its scope or resource where a parameter set does not override them", async () => {
    const { fetch, bodies } = endpoint();
    const flow = clientCredentials({
      tokenUrl,
      clientId: 'c',
      clientSecret: 's',
      scope: ['read', 'write'],
      audience: 'https://api.example.com',
      resource: ['https://a.example.com', 'https://b.example.com'],
    });
    const tokens = createTokenManager({ flow, fetch });
    await tokens.getToken({ scope: 'admin' });
    await tokens.getToken({ resource: 'https://c.example.com' });
    const sent = bodies.map((body) => [
      body.get('scope'),
      body.get('audience'),
      body.getAll('resource'),
    ]);
    expect(sent).toEqual([
      ['admin', 'https://api.example.com', ['https://a.example.com', 'https://b.example.com']],
      ['read write', 'https://api.example.com', ['https://c.example.com']],
    ]);
    await tokens.close();
  });

  it('withParameters gives a manager of those parameters: the same one each time, closed with its manager', async () => {
    const { fetch } = endpoint();
    const tokens = manager(fetch);
    const billing = tokens.withParameters({ scope: 'b a' });
    expect(tokens.withParameters({ scope: ['a', 'b'] })).toBe(billing);
    expect(tokens.withParameters({})).toBe(tokens);
    expect((await billing.getToken()).accessToken).toBe('-|b a#1');
    expect(await billing.cacheKey()).not.toBe(await tokens.cacheKey());
    await tokens.close();
    await expect(billing.getToken()).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    expect(() => tokens.withParameters({ scope: 'c' })).toThrow(/closed/);
  });

  it('invalidates a token of a parameter set in its own entry only', async () => {
    const { fetch, bodies } = endpoint();
    const tokens = manager(fetch);
    const crm = { resource: 'https://crm.example.com' };
    const base = await tokens.getToken();
    const first = await tokens.getToken(crm);
    expect(await tokens.invalidate(first.accessToken)).toBe(true); // through the base manager
    const renewed = await tokens.getToken(crm);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(await tokens.getToken()).toBe(base);
    expect(await tokens.withParameters(crm).invalidate(base.accessToken)).toBe(false);
    expect(bodies).toHaveLength(3);
    await tokens.close();
  });

  it('keeps parameter sets apart in a shared store under an explicit cacheKey', async () => {
    const { fetch } = endpoint();
    const flow = clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' });
    const tokens = createTokenManager({ flow, fetch, cacheKey: 'tenant-a' });
    const view = tokens.withParameters({ scope: 'x' });
    expect(await tokens.cacheKey()).toBe('tenant-a');
    expect(await view.cacheKey()).toBe('tenant-a:{"scope":["x"]}');
    await tokens.close();
  });

  it('refuses parameters for a flow that refreshes, and bad parameters, with a TypeError', async () => {
    const { fetch } = endpoint();
    const flow = authorizationCode({
      tokenUrl,
      clientId: 'c',
      code: 'code',
      redirectUri: 'https://app.example.com/cb',
    });
    const user = createTokenManager({ flow, fetch });
    await expect(user.getToken({ scope: 'more' })).rejects.toThrow(TypeError);
    expect(() => user.withParameters({ scope: 'more' })).toThrow(
      /not taken by the authorization_code flow/,
    );
    const tokens = manager(fetch);
    await expect(tokens.getToken({ resource: '/relative' })).rejects.toThrow(
      /resource must be an absolute URI without a fragment/,
    );
    await expect(tokens.getToken({ resource: 'https://a.example/#f' })).rejects.toThrow(TypeError);
    await expect(tokens.getToken({ scope: 5 as never })).rejects.toThrow(/scope must be a string/);
    await Promise.all([user.close(), tokens.close()]);
  });

  it('keeps at most maxParameterSets parameter sets: the least recently used is closed', async () => {
    const { fetch } = endpoint();
    const tokens = manager(fetch);
    const first = tokens.withParameters({ scope: 'set-0' });
    const second = tokens.withParameters({ scope: 'set-1' });
    for (let i = 2; i <= maxParameterSets; i++) tokens.withParameters({ scope: `set-${i}` });
    tokens.withParameters({ scope: 'set-1' }); // used again: not the least recently used
    tokens.withParameters({ scope: 'set-extra' });
    await expect(first.getToken()).rejects.toMatchObject({ code: 'ERR_MANAGER_CLOSED' });
    await expect(second.getToken()).resolves.toMatchObject({ accessToken: '-|set-1#1' });
    expect(tokens.withParameters({ scope: 'set-0' })).not.toBe(first); // made anew
    await tokens.close();
  });
});

describe('events of a parameter set', () => {
  it('carry the cache key of the set that obtained the token, and the manager’s its own', async () => {
    const { fetch } = endpoint();
    const events: TokenEvent[] = [];
    const flow = clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's', scope: 'base' });
    const tokens = createTokenManager({ flow, fetch, onEvent: (event) => events.push(event) });
    const billing = tokens.withParameters({ scope: 'invoices:read' });
    await billing.getToken();
    await tokens.getToken();
    const obtained = events.filter((event) => event.type === 'token.obtained');
    expect(obtained.map((event) => event.cacheKey)).toEqual([
      await billing.cacheKey(),
      await tokens.cacheKey(),
    ]);
    expect(await billing.cacheKey()).not.toBe(await tokens.cacheKey());
    await tokens.close();
  });
});

describe('a parameter set of a client that authenticates with an assertion', () => {
  it('sends its own parameters with a fresh assertion of the same client', async () => {
    const { fetch, bodies } = endpoint();
    let assertions = 0;
    const flow = clientCredentials({
      tokenUrl,
      clientId: 'c',
      clientAssertion: () => `assertion-${++assertions}`,
    });
    const tokens = createTokenManager({ flow, fetch });
    await tokens.getToken();
    await tokens.getToken({ scope: 'reports' });
    expect(bodies.map((body) => [body.get('scope'), body.get('client_assertion')])).toEqual([
      [null, 'assertion-1'],
      ['reports', 'assertion-2'],
    ]);
    await tokens.close();
  });
});
