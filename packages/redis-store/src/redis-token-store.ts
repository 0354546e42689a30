/**
 * A {@link TokenStore} on Redis, so that a fleet shares one token and one lock per cache key.
 *
 * @module
 */
import type { webcrypto } from 'node:crypto';
import type { Token, TokenStore } from '@tokenwise/core';
import { RedisStoreError, RedisStoreErrorCode } from './errors.ts';
import { importKey } from './internal/cipher.ts';
import { type RedisCommands, redisCommands } from './internal/commands.ts';
import { decodeEntry, encodeEntry } from './internal/entry.ts';
import { lockKey, tokenKey } from './internal/keys.ts';
import type { IoRedisClientLike } from './ioredis-client.ts';
import type { RedisClientLike } from './redis-client.ts';

/**
 * Options of {@link RedisTokenStore}. Only `client` is required.
 *
 * @example
 * ```ts
 * const options: RedisTokenStoreOptions = { client, prefix: 'billing:', timeoutMs: 500 };
 * ```
 */
export interface RedisTokenStoreOptions {
  /**
   * A connected client: node-redis 5 or 6 (`createClient()`, `createCluster()`,
   * `createClientPool()`) or ioredis 5 or 6 (`new Redis()`, `new Cluster()`). The store never
   * connects or closes it.
   */
  readonly client: RedisClientLike | IoRedisClientLike;
  /**
   * Prepended to every key: the token lives under `<prefix>{<cache key>}:token`, its lock under
   * `<prefix>{<cache key>}:lock` (the braces are a hash tag: on a cluster both keys are on one
   * node). The manager's default cache key already starts with `tokenwise:`.
   * @default ''
   */
  readonly prefix?: string | undefined;
  /**
   * Encrypts every entry at rest with AES-GCM (a random IV per write): Redis then holds no access
   * token, refresh token or raw response in clear. An AES-GCM `CryptoKey`, or the 16 or 32 bytes
   * of a raw key, e.g. `Buffer.from(process.env.TOKEN_KEY, 'base64')`. Every process sharing the
   * keys must use the same key. @default none: entries are stored as plain JSON
   */
  readonly encryptionKey?: webcrypto.CryptoKey | ArrayBuffer | ArrayBufferView | undefined;
  /**
   * How long one Redis command may take, in ms. Past it the command fails with
   * `ERR_REDIS_STORE_TIMEOUT` (a command still queued while the client reconnects is dropped),
   * and the manager carries on without the store: a miss, no lock, the token kept in memory.
   * @default 1_000
   */
  readonly timeoutMs?: number | undefined;
}

/** Deletes the lock only if it still holds this owner's fencing value (an atomic compare-and-delete). */
const releaseScript =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A {@link TokenStore} on Redis through node-redis or ioredis, single node or cluster. Tokens are
 * stored as JSON (optionally encrypted) with the TTL the manager asks for; `lock()` is
 * `SET key <random fencing value> NX PX` and its release a Lua compare-and-delete (`EVAL` with the
 * lock as its key, so a cluster runs it on the lock's node), so only the owner frees it. With it,
 * a fleet makes one token request per token lifetime per cache key: one process fetches, the
 * others wait for the stored result.
 *
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { clientCredentials, createTokenManager } from '@tokenwise/core';
 * import { RedisTokenStore } from '@tokenwise/redis-store';
 *
 * const client = await createClient({ url: process.env.REDIS_URL })
 *   .on('error', (error) => console.error('redis', error))
 *   .connect();
 * const tokens = createTokenManager({
 *   flow: clientCredentials({ tokenUrl, clientId, clientSecret }),
 *   store: new RedisTokenStore({ client, prefix: 'my-service:' }),
 * });
 * ```
 * @example With ioredis on a cluster:
 * ```ts
 * import { Cluster } from 'ioredis';
 *
 * const store = new RedisTokenStore({ client: new Cluster([{ host: 'redis-1', port: 6379 }]) });
 * ```
 */
export class RedisTokenStore implements TokenStore {
  readonly #commands: RedisCommands;
  readonly #prefix: string;
  readonly #key: Promise<CryptoKey> | undefined;
  readonly #timeoutMs: number;

  constructor(options: RedisTokenStoreOptions) {
    const { client, prefix = '', encryptionKey, timeoutMs = 1_000 } = options ?? {};
    const commands = redisCommands(client);
    if (typeof prefix !== 'string') throw new TypeError('RedisTokenStore: prefix must be a string');
    if (!(timeoutMs >= 1 && timeoutMs <= 2_147_483_647))
      throw new RangeError(
        `RedisTokenStore: timeoutMs must be a number from 1 to 2147483647, got ${String(timeoutMs)}`,
      );
    this.#commands = commands;
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
    // Node's webcrypto key is the global CryptoKey; the option names it so without the DOM lib.
    this.#key = encryptionKey === undefined ? undefined : importKey(encryptionKey as CryptoKey);
    // A key that fails to import is reported by the first get/set, not as an unhandled rejection.
    this.#key?.catch(() => {});
  }

  /**
   * The token under `key`, or `undefined`. Rejects with a {@link RedisStoreError} when the entry
   * cannot be read (wrong encryption key, not a token) or Redis does not answer in time.
   *
   * @example
   * ```ts
   * const token = await store.get(await tokens.cacheKey());
   * ```
   */
  async get(key: string): Promise<Token | undefined> {
    const redisKey = tokenKey(this.#prefix, key);
    return decodeEntry(
      await this.#run((redis, signal) => redis.get(redisKey, signal)),
      this.#key,
      redisKey,
    );
  }

  /**
   * Stores `token` under `key` for `ttlMs` (rounded up to whole ms); `undefined` keeps it until
   * it is replaced or deleted, and a TTL of 0 or less deletes it.
   *
   * @example
   * ```ts
   * await store.set('tokenwise:manual', token, token.expiresAt! - Date.now());
   * ```
   */
  async set(key: string, token: Token, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined && !(ttlMs <= 0) && !(ttlMs > 0))
      throw new RangeError(`RedisTokenStore: ttlMs must be a number, got ${String(ttlMs)}`);
    if (ttlMs !== undefined && ttlMs <= 0) return this.delete(key);
    const redisKey = tokenKey(this.#prefix, key);
    const value = await encodeEntry(token, this.#key, redisKey);
    const px = ttlMs === undefined || ttlMs === Number.POSITIVE_INFINITY ? undefined : ttlMs;
    await this.#run((redis, signal) =>
      redis.set(redisKey, value, px === undefined ? undefined : Math.ceil(px), signal),
    );
  }

  /**
   * Deletes the token under `key` (its lock, if any, is left to its owner).
   *
   * @example
   * ```ts
   * await store.delete(await tokens.cacheKey());
   * ```
   */
  async delete(key: string): Promise<void> {
    await this.#run((redis, signal) => redis.del(tokenKey(this.#prefix, key), signal));
  }

  /**
   * Takes the lock on `key` for `ttlMs`: `SET <prefix>{<key>}:lock <random fencing value> NX PX ttlMs`.
   * Resolves to its release function, or `undefined` when another holder has it. The release
   * deletes the lock only while it still holds this fencing value, and rejects with
   * `ERR_REDIS_STORE_LOCK_LOST` when the lock expired first (`ttlMs` shorter than the work it
   * guards); calling it again does nothing.
   *
   * @example
   * ```ts
   * const release = await store.lock('tokenwise:job', 30_000);
   * if (release) {
   *   try { await work(); } finally { await release(); }
   * }
   * ```
   */
  async lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    if (!(ttlMs >= 1 && ttlMs < Number.POSITIVE_INFINITY))
      throw new RangeError(`RedisTokenStore: lock ttlMs must be at least 1, got ${String(ttlMs)}`);
    const lock = lockKey(this.#prefix, key);
    const fence = crypto.randomUUID();
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      const deleted = await this.#run((redis, signal) =>
        redis.evalOnKey(releaseScript, lock, fence, signal),
      );
      if (Number(deleted) !== 1)
        throw new RedisStoreError(
          RedisStoreErrorCode.LockLost,
          `The lock "${lock}" expired before its holder released it: make the lock TTL (the manager's lockTtlMs) outlast the token request`,
        );
    };
    const taken = await this.#run(
      (redis, signal) => redis.setIfAbsent(lock, fence, Math.ceil(ttlMs), signal),
      // The SET reached Redis after we gave up on it: free the lock rather than let it block the fleet.
      (late) => late && release().catch(() => {}),
    );
    return taken ? release : undefined;
  }

  /** Runs one command, bounded by `timeoutMs`; `late` gets the reply of a command that timed out. */
  async #run<T>(
    command: (redis: RedisCommands, signal: AbortSignal) => Promise<T>,
    late?: (reply: T) => unknown,
  ): Promise<T> {
    const abort = new AbortController();
    const pending = command(this.#commands, abort.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        if (late) pending.then(late, () => {});
        reject(
          new RedisStoreError(
            RedisStoreErrorCode.Timeout,
            `Redis did not answer within ${this.#timeoutMs} ms`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
