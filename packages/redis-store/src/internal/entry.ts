/**
 * How a token is stored under its Redis key: the token's JSON, or with an encryption key the
 * sealed JSON `{"iv","ct"}`, so Redis never holds the access token, the refresh token or the raw
 * response (which repeats both) in clear.
 */
import type { Token } from '@tokenwise/core';
import { withRedactedInspect } from '@tokenwise/core/adapter';
import { RedisStoreError, RedisStoreErrorCode } from '../errors.ts';
import { open, type Sealed, seal } from './cipher.ts';

export async function encodeEntry(
  token: Token,
  key: Promise<CryptoKey> | undefined,
  redisKey: string,
): Promise<string> {
  const json = JSON.stringify(token);
  return key ? JSON.stringify(await seal(await key, json, redisKey)) : json;
}

export async function decodeEntry(
  reply: unknown,
  key: Promise<CryptoKey> | undefined,
  redisKey: string,
): Promise<Token | undefined> {
  if (reply === null || reply === undefined) return undefined;
  const text = typeof reply === 'string' ? reply : new TextDecoder().decode(reply as Uint8Array);
  let value = parse(text, redisKey);
  const sealed = isSealed(value);
  if (sealed !== (key !== undefined)) {
    throw new RedisStoreError(
      RedisStoreErrorCode.Decrypt,
      sealed
        ? `The token under "${redisKey}" is encrypted, but this RedisTokenStore has no encryptionKey`
        : `The token under "${redisKey}" is not encrypted, but this RedisTokenStore has an encryptionKey: it was written by a store without one`,
    );
  }
  if (key && sealed) {
    let plaintext: string;
    try {
      plaintext = await open(await key, value as Sealed, redisKey);
    } catch (error) {
      throw new RedisStoreError(
        RedisStoreErrorCode.Decrypt,
        `Cannot decrypt the token under "${redisKey}": the encryptionKey differs from the one that wrote it, or the entry was altered`,
        { cause: error },
      );
    }
    value = parse(plaintext, redisKey);
  }
  const token = value as Partial<Token> | null;
  if (typeof token?.accessToken !== 'string' || typeof token.tokenType !== 'string')
    throw notAToken(redisKey);
  return withRedactedInspect({ ...token, raw: token.raw ?? {} } as Token);
}

function parse(text: string, redisKey: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // No `cause`: V8's JSON error quotes the text, which may hold a token.
    throw notAToken(redisKey);
  }
}

function isSealed(value: unknown): boolean {
  const sealed = value as Partial<Sealed> | null;
  return typeof sealed?.iv === 'string' && typeof sealed.ct === 'string';
}

const notAToken = (redisKey: string): RedisStoreError =>
  new RedisStoreError(
    RedisStoreErrorCode.Entry,
    `The value under "${redisKey}" is not a token written by RedisTokenStore`,
  );
