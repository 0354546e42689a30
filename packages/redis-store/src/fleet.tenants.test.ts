/**
 * A fleet for many tenants: 8 real `node` processes (taking turns among node-redis 6 and 5 and
 * ioredis 6 and 5), each with one token manager per tenant (50 tenants, each its own client
 * credentials) on one shared RedisTokenStore, every process asking for every tenant's token at
 * once. On one redis-server and on a local 3-node cluster, the token server (the test kit's
 * loopback server) must see exactly one token request per tenant per token lifetime.
 */
import { closeAllServers, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Fleet,
  killAllFleets,
  startFleet,
  type TenantsBurstResult,
} from './test-support/fleet.ts';
import { type RedisCluster, startRedisCluster } from './test-support/redis-cluster.ts';
import {
  type RedisServer,
  startRedisServer,
  stopAllRedisServers,
} from './test-support/redis-server.ts';

const fleetSize = 8;
const tenantCount = 50;
const callsPerTenant = 4;
/**
 * Long enough for a burst of 8 × 50 × 4 calls to end well inside one lifetime, even on a busy
 * machine (a token that expires within the leeway on arrival is refused: 3 s was too close).
 */
const lifetimeSeconds = 8;
/**
 * The store's and the manager's store timeouts: a Redis reply slower than this counts as Redis
 * down (each process then fetches for itself), and a loaded CI machine can take a second.
 */
const storeTimeoutMs = 5_000;
const tenants = Array.from({ length: tenantCount }, (_, i) => `tenant-${i}`);

let redis: RedisServer;
let cluster: RedisCluster;
let tokenServer: LoopbackServer;
let fleet: Fleet | undefined;

beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
});
afterAll(async () => {
  await killAllFleets();
  await cluster?.stop();
  await stopAllRedisServers();
});
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await closeAllServers();
});

/** How many token requests each tenant's credentials made, in tenant order. */
function requestsPerTenant(): number[] {
  const ids = tokenServer.tokenRequests.map((request) => request.params.client_id);
  return tenants.map((tenant) => ids.filter((id) => id === tenant).length);
}

/** Every call succeeded, and all members got one and the same token per tenant, each distinct. */
function expectOneTokenPerTenant(results: TenantsBurstResult[]): string[] {
  expect(results).toHaveLength(fleetSize);
  for (const result of results) {
    expect(result.failures).toEqual([]);
    expect(result.storeErrors).toEqual([]);
    expect(result.fulfilled).toBe(tenantCount * callsPerTenant);
  }
  const perTenant = tenants.map(
    (_, index) => new Set(results.flatMap((result) => result.accessTokens[index] ?? [])),
  );
  for (const tokens of perTenant) expect(tokens.size).toBe(1);
  const shared = perTenant.map((tokens) => [...tokens][0] as string);
  expect(new Set(shared).size).toBe(tenantCount);
  return shared;
}

async function untilExpired(results: TenantsBurstResult[]): Promise<void> {
  const expiresAt = Math.max(...results.map((result) => result.expiresAt));
  while (Date.now() <= expiresAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(10, expiresAt - Date.now() + 5)));
  }
}

describe(`a fleet of ${fleetSize} processes × ${tenantCount} tenants`, () => {
  it.each(['one redis-server', 'a 3-node cluster'])(
    'on %s: exactly one token request per tenant per lifetime',
    async (topology) => {
      tokenServer = await startServer({
        clients: Object.fromEntries(tenants.map((tenant, i) => [tenant, `secret-${i}`])),
      });
      tokenServer.expiresIn = lifetimeSeconds;
      tokenServer.tokenDelayMs = 50; // widens the race between the processes
      fleet = await startFleet(fleetSize, {
        redisUrl: redis.url,
        ...(topology === 'a 3-node cluster' && { clusterUrls: cluster.urls }),
        redisModules: ['redis', 'ioredis', 'redis5', 'ioredis5'],
        tokenUrl: tokenServer.tokenUrl,
        prefix: `tenants-${topology.replace(/\W/g, '')}:`,
        tenants: tenantCount,
        timeoutMs: storeTimeoutMs,
        storeTimeoutMs,
      });

      let started = performance.now();
      const first = await fleet.tenantsBurst(callsPerTenant);
      const coldMs = performance.now() - started;
      const firstTokens = expectOneTokenPerTenant(first);
      expect(requestsPerTenant()).toEqual(tenants.map(() => 1));

      await untilExpired(first);
      started = performance.now();
      const second = await fleet.tenantsBurst(callsPerTenant);
      const renewMs = performance.now() - started;
      const secondTokens = expectOneTokenPerTenant(second);
      expect(requestsPerTenant()).toEqual(tenants.map(() => 2));
      expect(tokenServer.tokenRequests).toHaveLength(2 * tenantCount);
      for (const token of secondTokens) expect(firstTokens).not.toContain(token);
      console.info(
        `${fleetSize} processes × ${tenantCount} tenants × ${callsPerTenant} calls on ${topology}, two lifetimes: ${tokenServer.tokenRequests.length} token requests; bursts took ${Math.round(coldMs)} ms (cold) and ${Math.round(renewMs)} ms (after expiry)`,
      );
    },
  );
});
