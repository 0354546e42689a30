/**
 * The part of an ioredis client that {@link RedisTokenStore} uses.
 *
 * @module
 */

/**
 * The commands {@link RedisTokenStore} needs from a connected ioredis client (`ioredis` 5 or 6):
 * `GET`, `SET` with `PX`/`NX`, `DEL` and `EVAL`, in ioredis's argument lists. A `new Redis()` or a
 * `new Cluster()` fits as is; the store recognises ioredis by its boolean `isCluster` property
 * (any object with these methods and `isCluster` is spoken to the same way).
 *
 * @see https://github.com/redis/ioredis
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 *
 * const client: IoRedisClientLike = new Redis(process.env.REDIS_URL);
 * ```
 */
export interface IoRedisClientLike {
  /** `true` for an ioredis `Cluster`, `false` for a single-node `Redis`. */
  readonly isCluster: boolean;
  /** `GET key` */
  get(key: string): Promise<unknown>;
  /** `SET key value`: a token kept until replaced. */
  set(key: string, value: string): Promise<unknown>;
  /** `SET key value PX milliseconds`: a token with its TTL. */
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  /** `SET key value PX milliseconds NX`: the lock; `null` when another holder has it. */
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  /** `DEL key` */
  del(key: string): Promise<unknown>;
  /** `EVAL script numkeys key... arg...` */
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}
