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
 * `baseUrl` (the client's, at creation); `undefined`: every origin. One object per authorizer,
 * its map of bases made for the first base asked.
 *
 * @example
 * ```ts
 * const origins = new OriginsByBase(options.origins, instance.defaults.baseURL);
 * origins.for('https://api.example.com/v1'); // ['https://api.example.com']
 * ```
 */
export class OriginsByBase {
  readonly #fixed: readonly string[] | undefined;
  readonly #ofCreation: readonly string[] | undefined;
  #ofBases: Map<string, readonly string[] | undefined> | undefined;

  constructor(origins: Parameters<typeof allowedOrigins>[0] | undefined, baseUrl?: string | URL) {
    this.#fixed = origins === undefined ? undefined : allowedOrigins(origins);
    this.#ofCreation = originOfBase(baseUrl);
  }

  /** The origins for a request made against `base` (absent: the client's base URL). */
  for(base: string | URL | undefined): readonly string[] | undefined {
    const fixed = this.#fixed;
    if (fixed !== undefined || base === undefined) return fixed ?? this.#ofCreation;
    const key = String(base);
    this.#ofBases ??= new Map();
    const ofBases = this.#ofBases;
    if (ofBases.has(key)) return ofBases.get(key);
    if (ofBases.size >= maxBases) ofBases.clear();
    const resolved = originOfBase(key);
    ofBases.set(key, resolved);
    return resolved;
  }
}
