/**
 * Every client the store supports, each connected to throwaway Redis: node-redis 6 and 5 and
 * ioredis 6 and 5 on one redis-server, and node-redis `createCluster` and ioredis `Cluster` on a
 * local 3-node cluster. {@link describeEachRedisClient} runs a file's tests once per client, each
 * test against emptied databases.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { Cluster as IoCluster6, Redis as IoRedis6 } from 'ioredis';
import { Redis as IoRedis5 } from 'ioredis5';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { IoRedisClientLike } from '../ioredis-client.ts';
import type { RedisClientLike } from '../redis-client.ts';
import { type RedisCluster, startRedisCluster } from './redis-cluster.ts';
import { type RedisServer, startRedisServer, stopAllRedisServers } from './redis-server.ts';

/**
 * What the tests use of a client, whatever its library: the client itself for the store, and
 * `GET`/`SET` in the form both libraries share (routed to the right node on a cluster).
 *
 * @example
 * ```ts
 * expect(await redis.client.get('{tokenwise:k}:token')).toBeNull();
 * ```
 */
export type TestRedisClient = (RedisClientLike | IoRedisClientLike) & {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
};

/**
 * The client of the running group (read it inside a test or hook, not while collecting).
 *
 * @example
 * ```ts
 * const store = new RedisTokenStore({ client: redis.client });
 * expect(await redis.pTTL('{tokenwise:k}:token')).toBe(-1);
 * ```
 */
export interface ConnectedRedis {
  readonly client: TestRedisClient;
  /** The library and topology of this group, e.g. `ioredis 6 Cluster`. */
  readonly name: string;
  /** The TTL of `key` in ms (`-1`: none, `-2`: no such key). */
  pTTL(key: string): Promise<number>;
  /** Whether the client talks to the 3-node cluster (else to one redis-server). */
  readonly cluster: boolean;
  /** `CLUSTER KEYSLOT key`, asked of a cluster node (on either topology). */
  keySlot(key: string): Promise<number>;
  /** The keys each node holds (one list per node: one on a single server, three on the cluster). */
  keysByNode(): Promise<string[][]>;
}

interface Connection {
  readonly client: TestRedisClient;
  pTTL(key: string): Promise<number>;
  close(): Promise<unknown>;
}

type Topology = 'server' | 'cluster';
type Connect = (urls: readonly string[]) => Promise<Connection>;

/** What the groups use of a node-redis client or cluster, besides the store's part. */
interface NodeRedisTestClient {
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  pTTL(key: string): Promise<number>;
  on(event: 'error', listener: () => void): unknown;
}

/** What the groups use of an ioredis `Redis` or `Cluster`, besides the store's part. */
interface IoRedisTestClient {
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  pttl(key: string): Promise<number>;
  on(event: 'error', listener: () => void): unknown;
}

function nodeRedis(created: unknown): Promise<Connection> {
  const client = created as NodeRedisTestClient;
  client.on('error', () => {});
  return connected(client, {
    client: client as unknown as TestRedisClient,
    pTTL: (key) => client.pTTL(key),
    close: () => client.close(),
  });
}

function ioredis(created: unknown): Promise<Connection> {
  const client = created as IoRedisTestClient;
  client.on('error', () => {});
  return connected(client, {
    client: client as unknown as TestRedisClient,
    pTTL: (key) => client.pttl(key),
    close: () => client.quit(),
  });
}

const hostPort = (url: string): { host: string; port: number } => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
};

const clients: [string, Topology, Connect][] = [
  ['redis 6', 'server', ([url]) => nodeRedis(createClient6({ url: String(url) }))],
  ['redis 5', 'server', ([url]) => nodeRedis(createClient5({ url: String(url) }))],
  [
    'ioredis 6',
    'server',
    ([url]) => ioredis(new IoRedis6({ ...hostPort(String(url)), lazyConnect: true })),
  ],
  [
    'ioredis 5',
    'server',
    ([url]) => ioredis(new IoRedis5({ ...hostPort(String(url)), lazyConnect: true })),
  ],
  [
    'redis 6 createCluster',
    'cluster',
    (urls) => nodeRedis(createCluster6({ rootNodes: urls.map((url) => ({ url })) })),
  ],
  [
    'ioredis 6 Cluster',
    'cluster',
    (urls) => ioredis(new IoCluster6(urls.map(hostPort), { lazyConnect: true })),
  ],
];

async function connected(
  client: { connect(): Promise<unknown> },
  connection: Connection,
): Promise<Connection> {
  await client.connect();
  return connection;
}

/**
 * Starts one redis-server and one 3-node cluster for the file, then runs `tests` in a
 * `RedisTokenStore with <client>` group per client, with a connected client and empty databases
 * before each test. Call it once per file.
 *
 * @example
 * ```ts
 * describeEachRedisClient((redis) => {
 *   it('keeps a token without TTL', async () => {
 *     await new RedisTokenStore({ client: redis.client }).set('tokenwise:k', sampleToken);
 *     expect(await redis.pTTL('{tokenwise:k}:token')).toBe(-1);
 *   });
 * });
 * ```
 */
export function describeEachRedisClient(tests: (redis: ConnectedRedis) => void): void {
  let server: RedisServer;
  let cluster: RedisCluster;
  // Plain clients on every node, to empty each database and ask for key slots.
  let admins: ReturnType<typeof createClient6>[] = [];
  beforeAll(async () => {
    [server, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
    admins = [server.url, ...cluster.urls].map((url) => createClient6({ url }));
    await Promise.all(admins.map((admin) => admin.on('error', () => {}).connect()));
  });
  afterAll(async () => {
    await Promise.all(admins.map((admin) => admin.close()));
    await cluster?.stop();
    await stopAllRedisServers();
  });

  describe.each(clients)('RedisTokenStore with %s', (name, topology, connect) => {
    let connection: Connection | undefined;
    beforeAll(async () => {
      connection = await connect(topology === 'server' ? [server.url] : cluster.urls);
    });
    afterAll(async () => {
      await connection?.close();
    });
    beforeEach(async () => {
      await Promise.all(admins.map((admin) => admin.flushDb()));
    });

    const current = (): Connection => {
      if (connection === undefined) throw new Error(`the ${name} client is not connected yet`);
      return connection;
    };
    tests({
      name,
      get client(): TestRedisClient {
        return current().client;
      },
      cluster: topology === 'cluster',
      pTTL: (key) => current().pTTL(key),
      keySlot: (key) => (admins[1] as (typeof admins)[number]).clusterKeySlot(key),
      keysByNode: () =>
        Promise.all(
          (topology === 'cluster' ? admins.slice(1) : admins.slice(0, 1)).map((admin) =>
            admin.keys('*'),
          ),
        ),
    });
  });
}
