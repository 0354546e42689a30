/**
 * The part of a node-redis client that {@link RedisTokenStore} uses.
 *
 * @module
 */

/**
 * The commands {@link RedisTokenStore} needs from a connected node-redis client (`redis` 5 or 6):
 * `GET`, `SET` with `NX`/`PX`, `DEL` and `EVAL`. A client made by `createClient()` fits as is;
 * so does any object with these methods and the same signatures. Replies may be strings or
 * buffers (a client with a `typeMapping`).
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
  get(key: string): Promise<unknown>;
  set(
    key: string,
    value: string,
    options?: {
      expiration?: { type: 'PX'; value: number };
      condition?: 'NX';
    },
  ): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /**
   * node-redis's per-command abort: when present, a command that times out while still queued
   * (the client is reconnecting) is taken off the queue instead of running later.
   */
  withAbortSignal?(signal: AbortSignal): RedisClientLike;
}
