/**
 * Loads the renewal code (`renewal-code.ts`) once per process, with the first renewal of any
 * manager: until a token is needed, nothing of the token endpoint client is loaded.
 *
 * @module
 */
import { TokenRequestError } from '../errors.ts';
import { abortable } from '../internal/abortable.ts';

/**
 * The renewal code: `Renewer` and `GrantSequence`.
 *
 * @example
 * ```ts
 * const use = ({ GrantSequence, Renewer }: RenewalCode) => new Renewer(parts, new GrantSequence());
 * ```
 */
export type RenewalCode = typeof import('./renewal-code.ts');

let loaded: RenewalCode | undefined;
let loading: Promise<RenewalCode> | undefined;

/**
 * `use(code)` with the renewal code: called at once when the code is loaded (every renewal but a
 * process's first), else once it is. A load that fails (a chunk missing from a bundle) rejects
 * every renewal with a {@link TokenRequestError} whose `cause` is the loader's error: no token
 * request was sent. As with the other code tokenwise loads on first use, a failed load is not
 * tried again: runtimes keep a module that failed to load as failed. The wait for the load ends
 * with `signal` (the manager closing), even if the load never settles.
 *
 * @example
 * ```ts
 * const token = await withRenewalCode(({ GrantSequence, Renewer }) =>
 *   new Renewer(parts, new GrantSequence()).renew('needed', undefined, signal), signal);
 * ```
 */
export function withRenewalCode<T>(
  use: (code: RenewalCode) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (loaded !== undefined) return use(loaded);
  loading ??= import('./renewal-code.ts').then(
    (code) => (loaded = code),
    (error: unknown) => {
      throw new TokenRequestError(
        'tokenwise could not load its token request code, so no token request was sent',
        error,
      );
    },
  );
  return abortable(loading, signal).then(use);
}
