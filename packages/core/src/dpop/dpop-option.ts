/**
 * The `dpop` option of `createTokenManager`, checked when the manager is created.
 *
 * @module
 */
import { checkDpopKeyPair } from './dpop-key-pair.ts';
import { LazyDpopSession } from './lazy-dpop-session.ts';

/**
 * Reads the `dpop` option of `createTokenManager`: `true` (an ES256 key generated on first use),
 * `{ keyPair }` (checked now), or nothing. Throws a `TypeError` naming the option. The session's
 * code loads on first use (see {@link LazyDpopSession}).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449
 * @example
 * ```ts
 * readDpopOption(true, Date.now); // a session with a key to be generated
 * readDpopOption(undefined, Date.now); // undefined: Bearer tokens only
 * ```
 */
export function readDpopOption(value: unknown, now: () => number): LazyDpopSession | undefined {
  const label = 'createTokenManager: dpop';
  if (value === undefined || value === false) return undefined;
  if (value === true) return new LazyDpopSession(undefined, now);
  if (typeof value !== 'object' || value === null || !('keyPair' in value))
    throw new TypeError(`${label} must be true or { keyPair } (a CryptoKeyPair)`);
  return new LazyDpopSession(checkDpopKeyPair(`${label}.keyPair`, value.keyPair), now);
}
