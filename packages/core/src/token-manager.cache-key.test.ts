/**
 * The cache key: derived from the flow without its secrets, or given; managers with the same
 * key share the stored token.
 */
import { clientId, clientSecret } from '@tokenwise/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import {
  ccFlow,
  clock,
  manage,
  rtFlow,
  server,
  useManagerFixture,
} from './test-support/manager-fixture.ts';
import { MemoryTokenStore } from './token-store.ts';

useManagerFixture();

describe('cache key', () => {
  it('is derived, stable, free of secrets and distinct per client, scope and audience', async () => {
    const key = (flow: Flow): Promise<string> => manage({ flow }).cacheKey();
    const base = await key(ccFlow({ scope: 'read' }));
    expect(base).toMatch(/^tokenwise:client_credentials:[0-9a-f]{32}$/);
    expect(base).not.toContain(clientSecret);
    expect(await key(ccFlow({ scope: 'read' }))).toBe(base);
    const others = await Promise.all([
      key(ccFlow({ scope: 'write' })),
      key(ccFlow({ scope: 'read', audience: 'api' })),
      key(ccFlow({ scope: 'read', clientId: 'other-client' })),
      key(
        clientCredentials({
          tokenUrl: `${server.origin}/other`,
          clientId,
          clientSecret,
          scope: 'read',
        }),
      ),
    ]);
    expect(new Set([base, ...others]).size).toBe(5);

    const refreshKey = await key(await rtFlow('refresh-secret-a'));
    expect(refreshKey).toMatch(/^tokenwise:refresh_token:[0-9a-f]{32}$/);
    expect(refreshKey).not.toContain('refresh-secret-a');
    expect(await key(await rtFlow('refresh-secret-b'))).not.toBe(refreshKey);
  });

  it('honours an explicit cacheKey', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const set = vi.spyOn(store, 'set');
    const tokens = manage({ store, cacheKey: 'tenant-42' });
    expect(await tokens.cacheKey()).toBe('tenant-42');
    const token = await tokens.getToken();
    expect(set.mock.calls.map(([key]) => key)).toEqual(['tenant-42']);
    expect(await store.get('tenant-42')).toBe(token);
  });

  it('lets two managers sharing a MemoryTokenStore share the token, and keeps other keys apart', async () => {
    const store = new MemoryTokenStore({ now: clock.now });
    const one = manage({ store });
    const two = manage({ store });
    const a = await one.getToken();
    const b = await two.getToken();
    expect(b.accessToken).toBe(a.accessToken);
    expect(server.tokenRequests).toHaveLength(1);
    const scoped = manage({ store, flow: ccFlow({ scope: 'admin' }) });
    expect((await scoped.getToken()).accessToken).not.toBe(a.accessToken);
    expect(server.tokenRequests).toHaveLength(2);
  });
});
