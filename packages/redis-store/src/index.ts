/**
 * @tokenwise/redis-store: a Redis `TokenStore` for tokenwise, so a fleet of processes shares one
 * token per cache key and one process at a time fetches it (`SET NX PX` lock with a fencing value).
 *
 * @packageDocumentation
 */

export {
  isRedisStoreError,
  RedisStoreError,
  RedisStoreErrorCode,
} from './errors.ts';
export type { IoRedisClientLike } from './ioredis-client.ts';
export type { RedisClientLike } from './redis-client.ts';
export { RedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store.ts';
