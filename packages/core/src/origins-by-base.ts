/**
 * Which origins may receive the token, by the base URL a request was made against.
 *
 * @module
 */
import { allowedOrigins, originOfBase } from './auth-options.ts';

/** Base URLs remembered per authorizer (a client has one; clients of one registration, a few). */
const maxBases = 64;

/**
 * The origins that may receive the token for a request made against a base URL: the `origins`
 * option when given; else the origin of the request's base URL (remembered, at most 64), or of
 * `baseUrl` (the client's, at creation); `undefined`: every origin.
 *
 * @example
 * ```ts
 * const originsFor = originsByBase(options.origins, instance.defaults.baseURL);
 * originsFor('https://api.example.com/v1'); // Set { 'https://api.example.com' }
 * ```
 */
export function originsByBase(
  origins: Parameters<typeof allowedOrigins>[0] | undefined,
  baseUrl?: string | URL,
): (base: string | URL | undefined) => ReadonlySet<string> | undefined {
  const fixed = origins === undefined ? undefined : allowedOrigins(origins);
  const ofCreation = originOfBase(baseUrl);
  let ofBases: Map<string, Set<string> | undefined> | undefined; // made for the first base asked
  return (base) => {
    if (fixed !== undefined || base === undefined) return fixed ?? ofCreation;
    const key = String(base);
    ofBases ??= new Map();
    if (ofBases.has(key)) return ofBases.get(key);
    if (ofBases.size >= maxBases) ofBases.clear();
    const resolved = originOfBase(key);
    ofBases.set(key, resolved);
    return resolved;
  };
}
