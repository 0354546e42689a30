/**
 * The caller's axios config, lent to one attempt: the attempt's headers, redirect guards and
 * timeout are set on it, and what the caller had is put back once the adapter has settled.
 *
 * @module
 */
import { AxiosError, type AxiosHeaderValue, type InternalAxiosRequestConfig } from 'axios';
import { type AttemptGuard, guardedFetch } from './redirect-guards.ts';

type Config = InternalAxiosRequestConfig;

/**
 * What the caller's config held where an attempt sets its own: the values of the attempt's
 * headers, and the other members.
 *
 * @example
 * ```ts
 * const own: Own = lend(config, auth.headers, guard, timeout);
 * ```
 */
export interface Own {
  readonly headers: readonly AxiosHeaderValue[];
  readonly members: Pick<Config, 'beforeRedirect' | 'env' | 'fetchOptions' | 'timeout'>;
}

/**
 * Lends the caller's config to one attempt: its auth headers, redirect guards and timeout are set
 * on it, until {@link giveBack} puts back what the caller had, once the adapter has settled and
 * before an interceptor, a retry plugin or a log sees the config again. (A copy of the config
 * and of its headers, which axios makes anew for every request, costs more.)
 *
 * @example
 * ```ts
 * const own = lend(config, auth.headers, guard, timeout);
 * try {
 *   return await adapter(config);
 * } finally {
 *   giveBack(config, guard.names, own);
 * }
 * ```
 */
export function lend(
  config: Config,
  auth: Readonly<Record<string, string>>,
  guard: AttemptGuard,
  timeout: number,
): Own {
  const { headers, beforeRedirect, env, fetchOptions } = config;
  const own: Own = {
    headers: guard.names.map((name) => headers.get(name)),
    members: { beforeRedirect, env, fetchOptions, timeout: config.timeout } as Own['members'],
  };
  for (const name of guard.names) headers.set(name, auth[name]);
  config.beforeRedirect = guard.beforeRedirect;
  config.env = { ...env, fetch: guardedFetch(env?.fetch ?? globalThis.fetch) };
  config.fetchOptions = guard.fetchOptions(fetchOptions);
  config.timeout = timeout;
  return own;
}

/**
 * Puts back what {@link lend} set aside; a header the caller did not have is left `undefined`
 * (which axios sends as no header).
 *
 * @example
 * ```ts
 * giveBack(config, guard.names, own);
 * ```
 */
export function giveBack(config: Config, names: readonly string[], own: Own): void {
  for (let at = 0; at < names.length; at++)
    config.headers.set(names[at] as string, own.headers[at], true);
  Object.assign(config, own.members);
}

/**
 * What axios's own adapters reject with when `timeout` runs out: `ECONNABORTED` (`ETIMEDOUT`
 * with `transitional.clarifyTimeoutError`), with `timeoutErrorMessage` when set.
 *
 * @example
 * ```ts
 * await authorizer.authorize(url, { timeout: config.timeout, timeoutError: () => timeoutError(config) });
 * ```
 */
export function timeoutError(config: Config): AxiosError {
  const clarify = config.transitional?.clarifyTimeoutError === true;
  return new AxiosError(
    config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`,
    clarify ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED,
    config,
  );
}
