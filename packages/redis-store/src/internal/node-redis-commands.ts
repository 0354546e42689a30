/** The store's commands in node-redis's dialect (`redis` 5 and 6, single node, pool or cluster). */
import type { RedisClientLike } from '../redis-client.ts';
import type { RedisCommands } from './commands.ts';

/**
 * node-redis takes options objects (`{ expiration, condition }`, `{ keys, arguments }`); its
 * cluster client routes each command by its first key. `withAbortSignal` (single-node clients)
 * takes a command that timed out off the offline queue instead of running it later.
 *
 * @example
 * ```ts
 * const redis = nodeRedisCommands(await createClient({ url }).connect());
 * ```
 */
export function nodeRedisCommands(client: RedisClientLike): RedisCommands {
  const on = (signal: AbortSignal): RedisClientLike => client.withAbortSignal?.(signal) ?? client;
  return {
    get: (key, signal) => on(signal).get(key),
    set: (key, value, ttlMs, signal) =>
      on(signal).set(
        key,
        value,
        ttlMs === undefined ? {} : { expiration: { type: 'PX', value: ttlMs } },
      ),
    setIfAbsent: async (key, value, ttlMs, signal) =>
      (await on(signal).set(key, value, {
        expiration: { type: 'PX', value: ttlMs },
        condition: 'NX',
      })) != null,
    del: (key, signal) => on(signal).del(key),
    evalOnKey: (script, key, arg, signal) =>
      on(signal).eval(script, { keys: [key], arguments: [arg] }),
  };
}
