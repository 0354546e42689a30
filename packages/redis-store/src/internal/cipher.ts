/**
 * AES-GCM with Web Crypto: a random 96-bit IV per write, the Redis key as additional data (an
 * entry copied under another key does not decrypt), and a 128-bit tag that detects any change.
 *
 * @see https://csrc.nist.gov/pubs/sp/800/38/d/final
 */

/** A sealed value as stored: base64 IV and ciphertext (tag included). */
export interface Sealed {
  readonly iv: string;
  readonly ct: string;
}

const encoder = new TextEncoder();

/**
 * Validates `key` now and imports it once: a non-extractable AES-GCM `CryptoKey`, or the raw
 * bytes of a 128- or 256-bit key.
 */
export function importKey(key: CryptoKey | ArrayBuffer | ArrayBufferView): Promise<CryptoKey> {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    const usable =
      key.algorithm.name === 'AES-GCM' &&
      key.usages.includes('encrypt') &&
      key.usages.includes('decrypt');
    if (!usable)
      throw new TypeError(
        'RedisTokenStore: encryptionKey must be an AES-GCM CryptoKey with encrypt and decrypt usages',
      );
    return Promise.resolve(key);
  }
  const bytes = ArrayBuffer.isView(key)
    ? new Uint8Array(key.buffer, key.byteOffset, key.byteLength)
    : key instanceof ArrayBuffer
      ? new Uint8Array(key)
      : undefined;
  if (bytes?.byteLength !== 16 && bytes?.byteLength !== 32)
    throw new TypeError(
      'RedisTokenStore: encryptionKey must be a CryptoKey or the 16 or 32 bytes of an AES key',
    );
  return crypto.subtle.importKey('raw', bytes.slice(), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plaintext: string, context: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    key,
    encoder.encode(plaintext),
  );
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/** Rejects (with the Web Crypto `OperationError`) on a wrong key or an altered value. */
export async function open(key: CryptoKey, sealed: Sealed, context: string): Promise<string> {
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: encoder.encode(context) },
    key,
    fromBase64(sealed.ct),
  );
  return new TextDecoder().decode(plaintext);
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.from(text, 'base64'));
