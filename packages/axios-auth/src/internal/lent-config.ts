/**
 * The caller's axios config, lent to one attempt: the attempt's headers, redirect guards and
 * timeout are set on it, and what the caller had is put back once the adapter has settled.
 *
 * @module
 */
import {
  AxiosError,
  type AxiosHeaders,
  type AxiosHeaderValue,
  type InternalAxiosRequestConfig,
} from 'axios';
import { type AttemptGuard, guardedFetch } from './redirect-guards.ts';

type Config = InternalAxiosRequestConfig;

/**
 * What the caller's config held where an attempt sets its own: for each of the attempt's headers,
 * the caller's own (the name it had it under, in any case, and its value) or `undefined`; and
 * the other members.
 *
 * @example
 * ```ts
 * const own: Own = lend(config, auth.headers, guard, timeout);
 * ```
 */
export interface Own {
  readonly headers: readonly (readonly [name: string, value: AxiosHeaderValue] | undefined)[];
  readonly members: Pick<Config, 'beforeRedirect' | 'env' | 'fetchOptions' | 'timeout'>;
}

/**
 * Lends the caller's config to one attempt: its auth headers, redirect guards and timeout are set
 * on it, until {@link giveBack} puts back what the caller had, once the adapter has settled and
 * before an interceptor, a retry plugin or a log sees the config again. (A copy of the config
 * and of its headers, which axios makes anew for every request, costs more.) The headers are
 * set as members of axios's header object, as an interceptor sets them
 * (`config.headers.Authorization = …`): the authorizer has checked their values, and axios's
 * `set`, which checks them again and looks each name up case-insensitively, is most of what an
 * attempt would cost.
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
    headers: guard.names.map((name) => {
      const held = nameIn(headers, name);
      if (held === undefined) return undefined;
      const value = headers[held] as AxiosHeaderValue;
      delete headers[held];
      return [held, value];
    }),
    members: { beforeRedirect, env, fetchOptions, timeout: config.timeout } as Own['members'],
  };
  for (const name of guard.names) headers[name] = auth[name];
  config.beforeRedirect = guard.beforeRedirect;
  config.env = { ...env, fetch: guardedFetch(env?.fetch ?? globalThis.fetch) };
  config.fetchOptions = guard.fetchOptions(fetchOptions);
  config.timeout = timeout;
  return own;
}

/**
 * Puts back what {@link lend} lent: the caller's headers under the names they had them (or
 * none), and the other members.
 *
 * @example
 * ```ts
 * giveBack(config, guard.names, own);
 * ```
 */
export function giveBack(config: Config, names: readonly string[], own: Own): void {
  const { headers } = config;
  for (let at = 0; at < names.length; at++) {
    delete headers[names[at] as string];
    const held = own.headers[at];
    if (held !== undefined) headers[held[0]] = held[1];
  }
  Object.assign(config, own.members);
}

/** The name `headers` holds the header `name` under, whatever its case; `undefined`: none. */
function nameIn(headers: AxiosHeaders, name: string): string | undefined {
  const lowerCase = name.toLowerCase();
  return Object.keys(headers).find((held) => held.toLowerCase() === lowerCase);
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
