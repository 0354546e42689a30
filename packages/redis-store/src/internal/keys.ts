/**
 * Where one cache key's entries live in Redis: `<prefix>{<cache key>}:token` and
 * `<prefix>{<cache key>}:lock`. The braces are a Redis Cluster hash tag, so both keys hash to the
 * same slot and one node owns the token and its lock.
 *
 * Both names start with the same `<prefix>{<cache key>}`, and Redis hashes the part between the
 * first `{` and the next `}`: that part lies inside the shared start whatever braces the prefix
 * or the cache key contain, so the two slots are equal. (One corner: a cache key that is empty or
 * starts with `}`, under a prefix without `{`, makes an empty tag, and Redis then hashes each
 * whole name. The manager's cache keys start with `tokenwise:`.)
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 */

/**
 * The Redis key of the token stored for `cacheKey`.
 *
 * @example
 * ```ts
 * tokenKey('billing:', 'tokenwise:cc:abc'); // 'billing:{tokenwise:cc:abc}:token'
 * ```
 */
export function tokenKey(prefix: string, cacheKey: string): string {
  return `${prefix}{${cacheKey}}:token`;
}

/**
 * The Redis key of the lock taken for `cacheKey`.
 *
 * @example
 * ```ts
 * lockKey('billing:', 'tokenwise:cc:abc'); // 'billing:{tokenwise:cc:abc}:lock'
 * ```
 */
export function lockKey(prefix: string, cacheKey: string): string {
  return `${prefix}{${cacheKey}}:lock`;
}
