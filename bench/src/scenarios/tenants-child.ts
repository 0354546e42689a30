/**
 * Measures scenario 10 in a fresh process: `node --expose-gc tenants-child.ts <tenants> <rounds>
 * <batch>`. A `createTokenRegistry` of `tenants` managers, each holding a token, and a
 * `createAuthFetch` whose `tokens` function picks the tenant of each request from its
 * `X-Tenant-Id` header, sent to the tenants in turn; 500 warm-up tenants in a registry of their
 * own come first. Prints one JSON line ({@link TenantsSample}).
 *
 * @module
 */
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  createTokenRegistry,
  type Token,
} from '@tokenwise/core';
import { settledObjectHeap } from '../heap.ts';
import { inProcessTransport } from '../in-process.ts';

/** What the child reports. */
export interface TenantsSample {
  readonly tenants: number;
  /**
   * Settled heap of objects (compiled code aside) the registry gained per tenant (its manager
   * holding a token), in bytes.
   */
  readonly bytesPerTenant: number;
  /** Settled heap of one token as the manager holds it (a copy of each, kept), in bytes. */
  readonly bytesPerToken: number;
  /** Per round: ns per request through the registry's tokens function, tenants in turn. */
  readonly registryRounds: readonly number[];
  /** Per round: ns per request with one manager (no tokens function), the same traffic. */
  readonly oneManagerRounds: readonly number[];
  /**
   * Per round: ns per request through a `tokens` function that picks the same managers from a
   * plain `Map` (no registry): what serving that many tenants costs whatever keeps them.
   */
  readonly plainMapRounds: readonly number[];
  /** Per round: ns per `registry.get(key)` alone, the tenants in turn (keys made per lookup). */
  readonly getRounds: readonly number[];
  /** Per round: ns per `Map.get(key)` of the same managers, the same keys. */
  readonly mapGetRounds: readonly number[];
}

/**
 * ns per lookup of `lookUp` over `count` tenants in turn, each key a new string (as a header
 * value is), its result used so that the lookup is not optimised away.
 */
function timeLookups(lookUp: (key: string) => unknown, tenants: number, count: number): number {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) if (lookUp(`tenant-${i % tenants}`) !== undefined) found++;
  const ns = Number(process.hrtime.bigint() - started) / count;
  if (found !== count) throw new Error('a tenant was not found');
  return ns;
}

async function main(): Promise<void> {
  const [tenants = 0, rounds = 0, batch = 0] = process.argv.slice(2).map(Number);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!(tenants > 0 && rounds > 0 && batch > 0) || gc === undefined)
    throw new Error('usage: node --expose-gc tenants-child.ts <tenants> <rounds> <batch>');
  const transport = inProcessTransport();
  const tokenUrl = 'http://127.0.0.1:9/oauth/token';
  const manager = (clientId: string) =>
    createTokenManager({
      flow: clientCredentials({ tokenUrl, clientId, clientSecret: 'bench-secret' }),
      fetch: transport.tokenFetch,
    });
  const keys = Array.from({ length: tenants }, (_, i) => `tenant-${i}`);
  const inits = keys.map((key) => ({ headers: { 'X-Tenant-Id': key } }));

  // Warm-up, kept: the code compiled and the shared caches filled before the first reading.
  const warm = createTokenRegistry({ create: manager, maxSize: 500 });
  for (let i = 0; i < 500; i++) await warm.get(`warm-${i}`).getToken();
  // Heap: the registry with every tenant's manager holding a token. Objects only: code the JIT
  // compiles meanwhile (once per process, ~160 KB here) is no tenant's.
  const before = await settledObjectHeap(gc);
  const registry = createTokenRegistry({ create: manager, maxSize: tenants });
  const tokens: Token[] = [];
  for (const key of keys) tokens.push(await registry.get(key).getToken());
  const withTenants = await settledObjectHeap(gc);
  const copies = tokens.map((token) => structuredClone(token));
  const withCopies = await settledObjectHeap(gc);

  // Time: the same requests through the registry, and through one manager.
  const url = 'http://127.0.0.1:9/api/items';
  const byTenant = createAuthFetch({
    tokens: ({ headers }) => registry.get(headers.get('x-tenant-id') ?? ''),
    fetch: transport.fetch,
  });
  // The registry's own managers, kept in a plain Map: the same objects, without the registry.
  const managers = new Map(keys.map((key) => [key, registry.get(key)]));
  const byMap = createAuthFetch({
    tokens: ({ headers }) => managers.get(headers.get('x-tenant-id') ?? '') ?? single,
    fetch: transport.fetch,
  });
  const single = manager('one');
  const oneManager = createAuthFetch({ tokens: single, fetch: transport.fetch });
  let next = 0;
  const send = async (authFetch: typeof byTenant, count: number): Promise<number> => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const response = await authFetch(url, inits[next] as RequestInit);
      next = (next + 1) % tenants;
      if (response.status !== 200)
        throw new Error(`in-process request answered ${response.status}`);
    }
    return Number(process.hrtime.bigint() - started) / count;
  };
  await send(oneManager, Math.max(2 * tenants, 5_000));
  await send(byTenant, Math.max(2 * tenants, 5_000));
  await send(byMap, Math.max(2 * tenants, 5_000));
  const registryRounds: number[] = [];
  const oneManagerRounds: number[] = [];
  const plainMapRounds: number[] = [];
  const contenders = [
    () => send(byTenant, batch).then((ns) => registryRounds.push(ns)),
    () => send(oneManager, batch).then((ns) => oneManagerRounds.push(ns)),
    () => send(byMap, batch).then((ns) => plainMapRounds.push(ns)),
  ];
  for (let round = 0; round < rounds; round++) {
    // A rotating order, so that no contender always follows the same one.
    for (let i = 0; i < contenders.length; i++)
      await contenders[(round + i) % contenders.length]?.();
  }
  // The lookups alone: what the registry adds to a Map of the same managers, without the request.
  const lookups = Math.max(tenants, 20_000);
  const getRounds: number[] = [];
  const mapGetRounds: number[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const viaRegistry = timeLookups((key) => registry.get(key), tenants, lookups);
    const viaMap = timeLookups((key) => managers.get(key), tenants, lookups);
    if (round < 2) continue; // warm-up
    getRounds.push(viaRegistry);
    mapGetRounds.push(viaMap);
  }
  const sample: TenantsSample = {
    tenants,
    bytesPerTenant: (withTenants - before) / tenants,
    bytesPerToken: (withCopies - withTenants) / tenants,
    registryRounds,
    oneManagerRounds,
    plainMapRounds,
    getRounds,
    mapGetRounds,
  };
  if (copies.length !== tenants) throw new Error('lost token copies');
  await Promise.all([registry.close(), warm.close(), single.close()]);
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
