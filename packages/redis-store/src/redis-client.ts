/**
 * The part of a node-redis client that {@link RedisTokenStore} uses.
 *
 * @module
 */

/**
 * The commands {@link RedisTokenStore} needs from a connected node-redis client (`redis` 5 or 6):
 * `GET`, `SET` with `NX`/`PX`, `DEL` and `EVAL`. A client made by `createClient()`,
 * `createCluster()` or `createClientPool()` fits as is; so does any object with these methods and
 * the same signatures. Replies may be strings or buffers (a client with a `typeMapping`). On a
 * cluster each command goes to the node owning its key: `EVAL` names the lock in `keys`.
 *
 * @see https://github.com/redis/node-redis
 * @example
 * ```ts
 * import { createClient } from 'redis';
 *
 * const client: RedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface RedisClientLike {
  /** `GET key` */
  get(key: string): Promise<unknown>;
  /** `SET key value`, with `PX` for a TTL and `NX` for the lock (`null` when it is held). */
  set(
    key: string,
    value: string,
    options?: {
      expiration?: { type: 'PX'; value: number };
      condition?: 'NX';
    },
  ): Promise<unknown>;
  /** `DEL key` */
  del(key: string): Promise<unknown>;
  /** `EVAL script numkeys key... arg...`: the lock's compare-and-delete. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /**
   * node-redis's per-command abort: when present, a command that times out while still queued
   * (the client is reconnecting) is taken off the queue instead of running later.
   */
  withAbortSignal?(signal: AbortSignal): RedisClientLike;
}
