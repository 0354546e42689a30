/** Unguessable strings for tokens, codes and default secrets. */
import { randomBytes } from 'node:crypto';

/** `bytes` random bytes, base64url-encoded (16 bytes give 22 characters). */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
