/**
 * Both node-redis majors the store supports, redis 6 and redis 5, each connected to one
 * throwaway redis-server: {@link describeEachRedisClient} runs a file's tests once per client,
 * each test against an emptied database.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { createClient as createClient6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { RedisClientLike } from '../redis-client.ts';
import { type RedisServer, startRedisServer, stopAllRedisServers } from './redis-server.ts';

/**
 * What the tests use of a node-redis client: the store's part, and what sets up and inspects.
 *
 * @example
 * ```ts
 * const client = createClient({ url }) as unknown as TestRedisClient;
 * expect(await client.pTTL('tokenwise:k')).toBe(-1);
 * ```
 */
export type TestRedisClient = RedisClientLike & {
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  flushDb(): Promise<unknown>;
  pTTL(key: string): Promise<number>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
};

/**
 * The client of the running group (read it inside a test or hook, not while collecting).
 *
 * @example
 * ```ts
 * const store = new RedisTokenStore({ client: redis.client });
 * ```
 */
export interface ConnectedRedis {
  readonly client: TestRedisClient;
}

const majors: [string, (url: string) => TestRedisClient][] = [
  ['redis 6', (url) => createClient6({ url }) as unknown as TestRedisClient],
  ['redis 5', (url) => createClient5({ url }) as unknown as TestRedisClient],
];

/**
 * Starts one redis-server for the file, then runs `tests` in a `RedisTokenStore with <major>`
 * group per node-redis major, with a connected client and an empty database before each test.
 * Call it once per file.
 *
 * @example
 * ```ts
 * describeEachRedisClient((redis) => {
 *   describe('TTL', () => {
 *     it('keeps a token without TTL', async () => {
 *       await new RedisTokenStore({ client: redis.client }).set('tokenwise:k', sampleToken);
 *       expect(await redis.client.pTTL('tokenwise:k')).toBe(-1);
 *     });
 *   });
 * });
 * ```
 */
export function describeEachRedisClient(tests: (redis: ConnectedRedis) => void): void {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(stopAllRedisServers);

  describe.each(majors)('RedisTokenStore with %s', (name, createClient) => {
    let client: TestRedisClient | undefined;
    beforeAll(async () => {
      client = createClient(server.url);
      client.on('error', () => {});
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
    });
    beforeEach(async () => {
      await client?.flushDb();
    });

    tests({
      get client(): TestRedisClient {
        if (client === undefined) throw new Error(`the ${name} client is not connected yet`);
        return client;
      },
    });
  });
}
