/**
 * A fleet of real `node` processes (4 here), each with its own node-redis client (alternately
 * redis 6 and redis 5), a RedisTokenStore and a token manager from the built dists, against a real
 * redis-server and the test kit's loopback token server (a real socket: the members call it by
 * URL), which counts requests and rotates refresh tokens single-use.
 */
import { randomBytes } from 'node:crypto';
import {
  closeAllServers,
  type LoopbackServer,
  type RecordedRequest,
  startServer,
} from '@tokenwise/test-kit';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BurstResult, type Fleet, killAllFleets, startFleet } from './test-support/fleet.ts';
import {
  type RedisServer,
  startRedisServer,
  stopAllRedisServers,
} from './test-support/redis-server.ts';

const fleetSize = 4;
const callsPerMember = 50;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let client: ReturnType<typeof createClient>;
let tokenServer: LoopbackServer;
let fleet: Fleet | undefined;
let prefix: string;
let testCount = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await killAllFleets();
  await stopAllRedisServers();
});
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await closeAllServers();
});

/** A fresh token endpoint and key prefix for each test; answers are slowed to widen the race. */
async function setUp(): Promise<void> {
  tokenServer = await startServer();
  tokenServer.tokenDelayMs = 200;
  prefix = `fleet-${++testCount}:`;
}

/** The member that sent a token request. */
const memberOf = (request: RecordedRequest | undefined) => request?.headers['x-fleet-member'];

/** Every call of every member succeeded, with one and the same access token. */
function expectOneSharedToken(results: BurstResult[], members = fleetSize): string {
  expect(results).toHaveLength(members);
  const tokens = new Set(results.flatMap((result) => result.accessTokens));
  for (const result of results) {
    expect(result.failures).toEqual([]);
    expect(result.fulfilled).toBe(callsPerMember);
  }
  expect(tokens.size).toBe(1);
  return [...tokens][0] as string;
}

/** Waits until the tokens the fleet holds have expired (a state the test needs, not a measure). */
async function untilExpired(results: BurstResult[]): Promise<void> {
  const expiresAt = Math.max(...results.map((result) => result.expiresAt));
  while (Date.now() <= expiresAt) await sleep(Math.max(10, expiresAt - Date.now() + 5));
}

describe('a fleet sharing one Redis', () => {
  it('makes exactly one token request for 4 processes × 50 concurrent calls at a cold start', async () => {
    await setUp();
    fleet = await startFleet(fleetSize, {
      redisUrl: redis.url,
      tokenUrl: tokenServer.tokenUrl,
      prefix,
    });
    const results = await fleet.burst(callsPerMember);
    expect(tokenServer.tokenRequests).toHaveLength(1);
    expect(expectOneSharedToken(results)).toBe('tok-1');
    for (const result of results) expect(result.storeErrors).toEqual([]);
    // The lock was released by its owner, and the token is shared in Redis.
    expect(await client.keys(`${prefix}*`)).toEqual([
      expect.stringMatching(/^fleet-\d+:\{tokenwise:.*\}:token$/),
    ]);
  });

  it('makes exactly one token request when the shared token expires', async () => {
    await setUp();
    tokenServer.expiresIn = 1;
    fleet = await startFleet(fleetSize, {
      redisUrl: redis.url,
      tokenUrl: tokenServer.tokenUrl,
      prefix,
    });
    const first = await fleet.burst(callsPerMember);
    expect(expectOneSharedToken(first)).toBe('tok-1');
    // Redis drops the entry at the token's expiry (its TTL); the fleet then needs a new token.
    while ((await client.keys(`${prefix}*`)).length > 0) await sleep(20);
    await untilExpired(first);
    const second = await fleet.burst(callsPerMember);
    expect(tokenServer.tokenRequests).toHaveLength(2);
    expect(expectOneSharedToken(second)).toBe('tok-2');
  });

  it('lets another process take over when the lock holder is killed mid-fetch', async () => {
    await setUp();
    const lockTtlMs = 600;
    tokenServer.tokenDelayMs = 0; // the hook below holds the first request itself
    const locksSeen: (string | null)[] = [];
    let dropHeld!: () => void;
    const senderDead = new Promise<void>((resolve) => {
      dropHeld = resolve;
    });
    tokenServer.beforeAnswer = async (request) => {
      const [lockKey] = await client.keys(`${prefix}*:lock`);
      locksSeen.push(lockKey === undefined ? null : await client.get(lockKey));
      if (tokenServer.tokenRequests.indexOf(request) > 0) return;
      // Hold the first request until its sender is dead, then drop it.
      await senderDead;
      return 'drop';
    };
    fleet = await startFleet(fleetSize, {
      redisUrl: redis.url,
      tokenUrl: tokenServer.tokenUrl,
      prefix,
      lockTtlMs,
    });
    const bursts = fleet.members.map((member) =>
      member.burst(callsPerMember).catch((error: unknown) => error),
    );
    const held = await tokenServer.tokenRequestsReached(1);
    const holder = fleet.members.find((member) => member.id === memberOf(held));
    expect(holder).toBeDefined();
    await holder?.kill();
    dropHeld();

    const survivors = (await Promise.all(bursts)).filter(
      (result): result is BurstResult => !(result instanceof Error),
    );
    expect(survivors.map((result) => result.member).sort()).toEqual(
      fleet.members.filter((member) => member !== holder).map((member) => member.id),
    );
    expect(expectOneSharedToken(survivors, fleetSize - 1)).toBe('tok-1');
    // One more request, sent by a survivor that held the lock: the dead holder's lock had expired
    // (its TTL) and a new owner took it, rather than the fleet giving up on locking.
    expect(tokenServer.tokenRequests).toHaveLength(2);
    expect(memberOf(tokenServer.tokenRequests[1])).not.toBe(memberOf(held));
    expect(locksSeen).toHaveLength(2);
    expect(locksSeen[0]).toEqual(expect.any(String));
    expect(locksSeen[1]).toEqual(expect.any(String));
    expect(locksSeen[1]).not.toBe(locksSeen[0]);
  });

  it('rotates a single-use refresh token exactly once for 4 processes refreshing at once', async () => {
    await setUp();
    tokenServer.expiresIn = 1;
    await tokenServer.acceptRefreshToken('refresh-initial');
    fleet = await startFleet(fleetSize, {
      redisUrl: redis.url,
      tokenUrl: tokenServer.tokenUrl,
      prefix,
      flow: 'refresh_token',
      refreshToken: 'refresh-initial',
      encryptionKey: randomBytes(32).toString('base64'),
    });
    const first = await fleet.burst(callsPerMember);
    expectOneSharedToken(first);
    await untilExpired(first);
    const second = await fleet.burst(callsPerMember);
    expectOneSharedToken(second);

    expect(tokenServer.tokenRequests.map((request) => request.params.refresh_token)).toEqual([
      'refresh-initial',
      first[0]?.refreshTokens[0],
    ]);
    expect(tokenServer.rejectedRefreshTokens).toEqual([]);
    const latest = second[0]?.refreshTokens[0];
    expect(latest).toMatch(/^refresh-\d+$/);
    expect(latest).not.toBe(first[0]?.refreshTokens[0]);
    for (const result of second) expect(result.refreshTokens).toEqual([latest]);
    // Encrypted at rest: no refresh token (nor access token) in clear in Redis.
    for (const key of await client.keys(`${prefix}*`)) {
      expect(await client.get(key)).not.toMatch(/refresh-|tok-/);
    }
  });
});

describe('a fleet whose Redis restarts', () => {
  it('keeps answering every call: per-process fetching while Redis is down, shared again after', async () => {
    await setUp();
    const own = await startRedisServer();
    tokenServer.expiresIn = 2; // 1 s is refused as expired on arrival when a loaded CI stalls ~0.9 s
    fleet = await startFleet(fleetSize, {
      redisUrl: own.url,
      tokenUrl: tokenServer.tokenUrl,
      prefix,
      timeoutMs: 150,
    });
    const before = await fleet.burst(callsPerMember);
    expectOneSharedToken(before);
    expect(tokenServer.tokenRequests).toHaveLength(1);

    await own.stop();
    await untilExpired(before);
    const during = await fleet.burst(callsPerMember);
    // Every call answered; each process fetched its own token, once.
    for (const result of during) {
      expect(result.failures).toEqual([]);
      expect(result.fulfilled).toBe(callsPerMember);
      expect(result.accessTokens).toHaveLength(1);
      expect(result.storeErrors).toContain('ERR_REDIS_STORE_TIMEOUT');
    }
    expect(new Set(during.flatMap((result) => result.accessTokens)).size).toBe(fleetSize);
    expect(tokenServer.tokenRequests).toHaveLength(1 + fleetSize);

    await own.start();
    await Promise.all(fleet.members.map((member) => member.redisReady()));
    await untilExpired(during);
    const after = await fleet.burst(callsPerMember);
    expectOneSharedToken(after);
    expect(tokenServer.tokenRequests).toHaveLength(2 + fleetSize);
    // Nothing fails after the restart. A write sent while Redis was down is not waited for, so
    // its timeout may be reported late, with this burst (at most one per process).
    for (const result of after) {
      expect(result.storeErrors.length).toBeLessThanOrEqual(1);
      for (const code of result.storeErrors) expect(code).toBe('ERR_REDIS_STORE_TIMEOUT');
    }
    await fleet.close();
    fleet = undefined;
    await own.stop();
  });
});
