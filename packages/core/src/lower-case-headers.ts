/**
 * An authorization's headers under lower-case names, for clients that keep headers in a plain
 * record (got lower-cases every name; axios finds a name in any case): made once per
 * authorization, which serves every request while the manager keeps its token.
 *
 * @module
 */
import type { Authorization } from './authorization.ts';

const lowerCased = new WeakMap<Authorization, Readonly<Record<string, string>>>();

/**
 * `authorization.headers` under lower-case names: the same frozen object for the same
 * authorization, so that a client's header record meets the same name strings on every request
 * and nothing is lower-cased afresh.
 *
 * @example
 * ```ts
 * const own = lowerCaseHeaders(authorization); // { authorization: 'Bearer …', 'x-tenant-id': 'acme' }
 * for (const name in own) options.headers[name] = own[name];
 * ```
 */
export function lowerCaseHeaders(authorization: Authorization): Readonly<Record<string, string>> {
  let headers = lowerCased.get(authorization);
  if (headers === undefined) {
    const record: Record<string, string> = {};
    for (const [name, value] of Object.entries(authorization.headers))
      record[name.toLowerCase()] = value;
    headers = Object.freeze(record);
    lowerCased.set(authorization, headers);
  }
  return headers;
}
