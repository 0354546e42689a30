/**
 * The caller's axios config, lent to one attempt: the attempt's headers, redirect guards and
 * timeout are set on it, and what the caller had is put back once the adapter has settled.
 *
 * @module
 */

import { type Authorization, lowerCaseHeaders } from '@tokenwise/core/adapter';
import { AxiosError, type AxiosHeaderValue, type InternalAxiosRequestConfig } from 'axios';
import { type AttemptGuard, guardedFetch } from './redirect-guards.ts';

type Config = InternalAxiosRequestConfig;

/**
 * What the caller's config held where an attempt sets its own: its headers of the attempt's
 * names, whatever their case (each under the name it had), the lower-case names lent, and the
 * other members.
 *
 * @example
 * ```ts
 * const own: Own = lend(config, auth, guard, timeout);
 * ```
 */
export interface Own {
  readonly held: readonly (readonly [name: string, value: AxiosHeaderValue])[];
  /** The attempt's headers under lower-case names (see `lowerCaseHeaders`). */
  readonly lent: Readonly<Record<string, string>>;
  readonly members: Pick<Config, 'beforeRedirect' | 'env' | 'fetchOptions' | 'timeout'>;
}

/**
 * Lends the caller's config to one attempt: its auth headers, redirect guards and timeout are set
 * on it, until {@link giveBack} puts back what the caller had, once the adapter has settled and
 * before an interceptor, a retry plugin or a log sees the config again. (A copy of the config
 * and of its headers, which axios makes anew for every request, costs more.) The headers are
 * set as members of axios's header object, as an interceptor sets them
 * (`config.headers.Authorization = …`; the authorizer has checked them, and no two of their
 * names differ in case only). They replace the caller's own of the same names, whatever their
 * case or value (`false` too: `skipAuth` is how a request goes without them).
 *
 * @example
 * ```ts
 * const own = lend(config, auth, guard, timeout);
 * try {
 *   return await adapter(config);
 * } finally {
 *   giveBack(config, own);
 * }
 * ```
 */
export function lend(
  config: Config,
  auth: Authorization,
  guard: AttemptGuard,
  timeout: number,
): Own {
  const { headers, beforeRedirect, env, fetchOptions } = config;
  const members = { beforeRedirect, env, fetchOptions, timeout: config.timeout } as Own['members'];
  const lent = lowerCaseHeaders(auth);
  const held: (readonly [string, AxiosHeaderValue])[] = [];
  for (const name of Object.keys(headers)) {
    if (!Object.hasOwn(lent, name.toLowerCase())) continue;
    held.push([name, headers[name] as AxiosHeaderValue]);
    delete headers[name];
  }
  for (const name of guard.names) headers[name] = auth.headers[name];
  config.beforeRedirect = guard.beforeRedirect;
  config.env = { ...env, fetch: guardedFetch(env?.fetch ?? globalThis.fetch) };
  config.fetchOptions = guard.fetchOptions(fetchOptions);
  config.timeout = timeout;
  return { held, lent, members };
}

/**
 * Puts back what {@link lend} lent: the caller's headers under the names they had (what was sent
 * is taken back under whatever name axios keeps it by: a header named like one of its methods,
 * `set`, is held as `Set`), and the other members.
 *
 * @example
 * ```ts
 * giveBack(config, own);
 * ```
 */
export function giveBack(config: Config, own: Own): void {
  const { headers } = config;
  for (const name of Object.keys(headers))
    if (Object.hasOwn(own.lent, name.toLowerCase())) delete headers[name];
  for (const [name, value] of own.held) headers[name] = value;
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
