/** The store's commands in ioredis's dialect (ioredis 5 and 6, `Redis` or `Cluster`). */
import type { IoRedisClientLike } from '../ioredis-client.ts';
import type { RedisCommands } from './commands.ts';

/**
 * ioredis takes Redis's own argument lists (`'PX', ms, 'NX'`; `script, numkeys, ...keys,
 * ...args`); its `Cluster` routes each command by the keys those lists name. ioredis has no
 * per-command abort: a command that timed out still runs when the client reconnects (the store
 * frees a lock taken that late).
 *
 * @example
 * ```ts
 * const redis = ioredisCommands(new Cluster([{ host: 'redis-1', port: 6379 }]));
 * ```
 */
export function ioredisCommands(client: IoRedisClientLike): RedisCommands {
  return {
    get: (key) => client.get(key),
    set: (key, value, ttlMs) =>
      ttlMs === undefined ? client.set(key, value) : client.set(key, value, 'PX', ttlMs),
    setIfAbsent: async (key, value, ttlMs) =>
      (await client.set(key, value, 'PX', ttlMs, 'NX')) != null,
    del: (key) => client.del(key),
    evalOnKey: (script, key, arg) => client.eval(script, 1, key, arg),
  };
}
