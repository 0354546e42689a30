/**
 * The headers a gotAuth registration sets on got's options (`Authorization`, the extra headers,
 * a DPoP proof): set, named and dropped the way got keeps headers (lower-case names).
 *
 * @module
 */
import { type Authorization, lowerCaseHeaders } from '@tokenwise/core/adapter';
import type { HookOptions } from './request-state.ts';

/**
 * Sets the headers of `auth` on the request `options` describe.
 *
 * @example
 * ```ts
 * setAuthHeaders(options, await authorizer.authorize(url, wait));
 * ```
 */
export function setAuthHeaders(options: HookOptions, auth: Authorization): void {
  const { headers } = options;
  // The same name strings every request: got's header proxy is markedly slower (about 1 µs a
  // request) with a name lower-cased afresh than with one that is the key of an object.
  const own = lowerCaseHeaders(auth);
  for (const name in own) headers[name] = own[name];
}

/**
 * The lower-case names of the headers `auth` sets: what a hop to another origin must lose, and
 * what an error must not show.
 *
 * @example
 * ```ts
 * authHeaderNames(auth); // ['authorization', 'x-tenant-id']
 * ```
 */
export function authHeaderNames(auth: Authorization): string[] {
  return Object.keys(lowerCaseHeaders(auth));
}

/**
 * Deletes the headers `names` (lower-case) from the request `options` describe. Only those it
 * has are deleted: got's header proxy records every delete (for the headers to strip on a
 * cross-origin redirect), which costs a request more than looking first.
 *
 * @example
 * ```ts
 * dropHeaders(options, authorizer.sensitiveHeaders());
 * ```
 */
export function dropHeaders(options: HookOptions, names: Iterable<string>): void {
  const { headers } = options;
  for (const name of names) if (name in headers) delete headers[name];
}
