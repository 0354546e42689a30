/**
 * The typed errors of the Redis store. The token manager treats every store failure as a cache
 * miss and reports it to its `onError` hook, so these errors reach you there, never as a failed
 * request. No message contains a token: only Redis key names, which tokenwise derives from a hash.
 *
 * @module
 */

/**
 * Every `code` a {@link RedisStoreError} can carry.
 *
 * @example
 * ```ts
 * if (isRedisStoreError(error) && error.code === RedisStoreErrorCode.LockLost) raiseLockTtl();
 * ```
 */
export const RedisStoreErrorCode = {
  /** A Redis command took longer than `timeoutMs` (Redis down, restarting or overloaded). */
  Timeout: 'ERR_REDIS_STORE_TIMEOUT',
  /**
   * An entry could not be decrypted: wrong `encryptionKey`, an altered entry, an encrypted entry
   * read without a key, or a plaintext entry read with one.
   */
  Decrypt: 'ERR_REDIS_STORE_DECRYPT',
  /** The value under a token key is not a token this store wrote. */
  Entry: 'ERR_REDIS_STORE_ENTRY',
  /** A lock expired (or Redis lost it) before its holder released it: `lockTtlMs` is too short. */
  LockLost: 'ERR_REDIS_STORE_LOCK_LOST',
} as const;

/**
 * A literal from {@link RedisStoreErrorCode}.
 *
 * @example
 * ```ts
 * const counts = new Map<RedisStoreErrorCode, number>();
 * ```
 */
export type RedisStoreErrorCode = (typeof RedisStoreErrorCode)[keyof typeof RedisStoreErrorCode];

/**
 * A failure of {@link RedisTokenStore}, with a literal `code`. Errors of the Redis client itself
 * (connection closed, `ECONNREFUSED`) are passed through unchanged.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow,
 *   store,
 *   onError: (error) => {
 *     if (isRedisStoreError(error) && error.code === 'ERR_REDIS_STORE_DECRYPT') alert(error.message);
 *   },
 * });
 * ```
 */
export class RedisStoreError extends Error {
  /** A literal identifying the failure, stable across versions. */
  readonly code: RedisStoreErrorCode;

  constructor(code: RedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisStoreError';
    this.code = code;
  }
}

/**
 * Whether `error` is a {@link RedisStoreError}; compares `name` too, so it works across realms
 * and duplicate copies of the package.
 *
 * @example
 * ```ts
 * onError: (error) => isRedisStoreError(error) && metrics.increment(error.code),
 * ```
 */
export function isRedisStoreError(error: unknown): error is RedisStoreError {
  return (
    error instanceof RedisStoreError ||
    (error instanceof Error &&
      error.name === 'RedisStoreError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
