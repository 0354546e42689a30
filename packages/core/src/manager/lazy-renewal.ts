/**
 * Loads the renewal code (`renewal-code.ts`) once per process, with the first renewal of any
 * manager: until a token is needed, nothing of the token endpoint client is loaded.
 *
 * @module
 */

/** The renewal code: `Renewer` and `GrantSequence`. */
export type RenewalCode = typeof import('./renewal-code.ts');

let loaded: RenewalCode | undefined;
let loading: Promise<RenewalCode> | undefined;

/**
 * `use(code)` with the renewal code: called at once when the code is loaded (every renewal but a
 * process's first), else once it is. A load that fails rejects this renewal with its error; the
 * next renewal tries again.
 *
 * @example
 * ```ts
 * const token = await withRenewalCode(({ Renewer }) => new Renewer(...parts).renew('needed', undefined, signal));
 * ```
 */
export function withRenewalCode<T>(use: (code: RenewalCode) => Promise<T>): Promise<T> {
  if (loaded !== undefined) return use(loaded);
  loading ??= import('./renewal-code.ts').then(
    (code) => (loaded = code),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading.then(use);
}
