/**
 * @tokenwise/ky-auth: ky options that attach tokenwise access tokens and answer a 401 with one
 * re-send carrying a fresh token.
 *
 * @packageDocumentation
 */

export {
  type KyAuthContext,
  type KyAuthDefaults,
  type KyAuthOptions,
  kyAuth,
} from './ky-auth.ts';
