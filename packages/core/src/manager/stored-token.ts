/**
 * What a token store hands back is checked before the manager uses it: a store is shared (Redis
 * holds whatever anyone wrote), may be written by another version, and may be corrupted. An entry
 * that is not a token tokenwise could have written is a miss, never served.
 */

import { isSendableToken } from '../internal/header-safety.ts';
import type { Token } from '../token.ts';
import { normalizeTokenType, withRedactedInspect } from '../token.ts';

/** The result of reading a store entry: the token, or what is wrong with it (never its value). */
export type StoredTokenReading =
  | { readonly token: Token; readonly problem?: undefined }
  | { readonly token?: undefined; readonly problem: string };

const timeFields = ['expiresAt', 'issuedAt', 'refreshTokenExpiresAt'] as const;
const textFields = ['refreshToken', 'scope'] as const;

/**
 * Checks a value a store returned: an object (of any realm or class) whose `accessToken` can go in
 * a header as is, `tokenType` Bearer (in any letter case), `expiresAt`/`issuedAt`/`refreshTokenExpiresAt`
 * absent or finite numbers, `refreshToken`/`scope` absent or strings, and `raw` an object. Each
 * field is read once, into a new token, so a value that changes under our feet (a getter) cannot
 * pass the check and then serve something else.
 *
 * @example
 * ```ts
 * const { token, problem } = readStoredToken(JSON.parse(text));
 * if (problem) onError(new TypeError(`The stored entry is not a token: ${problem}`));
 * ```
 */
export function readStoredToken(value: unknown): StoredTokenReading {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'it is not an object' };
  const entry = value as Record<string, unknown>;
  const accessToken = entry.accessToken;
  if (!isSendableToken(accessToken))
    return { problem: 'accessToken is not a string that can be sent in a header as is' };
  const tokenType = entry.tokenType;
  // Only Bearer tokens are ever cached: any other type (from another version or tool) is no token
  // this manager could have written, and sending it as it says would be wrong.
  if (typeof tokenType !== 'string' || normalizeTokenType(tokenType) !== 'Bearer')
    return { problem: 'tokenType is not Bearer' };
  const raw = entry.raw;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { problem: 'raw is not an object' };
  const token: Record<string, unknown> = { accessToken, tokenType: 'Bearer' };
  for (const field of timeFields) {
    const time = entry[field];
    if (time === undefined) continue;
    if (typeof time !== 'number' || !Number.isFinite(time))
      return { problem: `${field} is neither absent nor a finite number` };
    token[field] = time;
  }
  for (const field of textFields) {
    const text = entry[field];
    if (text === undefined) continue;
    if (typeof text !== 'string') return { problem: `${field} is neither absent nor a string` };
    token[field] = text;
  }
  token.raw = raw;
  return { token: withRedactedInspect(token as unknown as Token) };
}
