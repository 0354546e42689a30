/**
 * Maps that keep their newest entries only: a `Map` iterates in insertion order, so the first
 * key is the one set longest ago.
 *
 * @module
 */

/**
 * Sets `key` to `value` as the newest entry of `map`, first dropping the oldest entries beyond
 * `max - 1`, so that `map` never holds more than `max`.
 *
 * @example
 * ```ts
 * setNewest(nonces, 'https://api.example.com', 'n-1', 256);
 * ```
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  for (const oldest of map.keys()) {
    if (map.size < max) break;
    map.delete(oldest);
  }
  map.set(key, value);
}
