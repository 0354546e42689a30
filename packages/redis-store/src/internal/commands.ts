/**
 * The five Redis operations the store performs, whatever client speaks them. Each client dialect
 * (node-redis, ioredis) maps them onto its own method signatures; {@link redisCommands} picks the
 * dialect from the client's shape, without importing either library.
 */
import type { IoRedisClientLike } from '../ioredis-client.ts';
import type { RedisClientLike } from '../redis-client.ts';
import { ioredisCommands } from './ioredis-commands.ts';
import { nodeRedisCommands } from './node-redis-commands.ts';

/**
 * What the store asks of Redis. Every operation names its keys as keys (never inside an
 * argument), so a cluster client routes it to the node that owns the key's hash slot. `signal`
 * aborts a command still queued in the client, where the client supports it.
 *
 * @example
 * ```ts
 * const deleted = await redis.evalOnKey(releaseScript, lockKey, fence, signal);
 * ```
 */
export interface RedisCommands {
  /** `GET key`: the value (string or bytes), or `null`/`undefined` when absent. */
  get(key: string, signal: AbortSignal): Promise<unknown>;
  /** `SET key value [PX ttlMs]`: no TTL keeps the key until replaced. */
  set(key: string, value: string, ttlMs: number | undefined, signal: AbortSignal): Promise<unknown>;
  /** `SET key value NX PX ttlMs`: whether the key was absent and is now set. */
  setIfAbsent(key: string, value: string, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  /** `DEL key` */
  del(key: string, signal: AbortSignal): Promise<unknown>;
  /** `EVAL script 1 key arg`: runs a Lua script on the node owning `key`. */
  evalOnKey(script: string, key: string, arg: string, signal: AbortSignal): Promise<unknown>;
}

/**
 * The dialect `client` speaks: ioredis (`new Redis()`, `new Cluster()`: both carry a boolean
 * `isCluster`) or node-redis (`createClient()`, `createCluster()`, `createClientPool()`, or any
 * object with its `get`/`set`/`del`/`eval` signatures). Anything else is a `TypeError` naming
 * what was expected.
 *
 * @example
 * ```ts
 * const redis = redisCommands(options.client);
 * const taken = await redis.setIfAbsent('{tokenwise:k}:lock', fence, 30_000, signal);
 * ```
 */
export function redisCommands(client: RedisClientLike | IoRedisClientLike): RedisCommands {
  const shape = client as unknown as Partial<Record<string, unknown>> | null | undefined;
  const missing = ['get', 'set', 'del', 'eval'].find(
    (method) => typeof shape?.[method] !== 'function',
  );
  if (missing !== undefined)
    throw new TypeError(
      `RedisTokenStore: client must be a connected node-redis client (createClient, createCluster) or ioredis client (new Redis, new Cluster); got ${describe(client)} (no ${missing}())`,
    );
  return typeof shape?.isCluster === 'boolean'
    ? ioredisCommands(client as IoRedisClientLike)
    : nodeRedisCommands(client as RedisClientLike);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
}
