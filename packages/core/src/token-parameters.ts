/**
 * Per-request token parameters: the scope and the resource (RFC 8707) of a token asked of one
 * manager, each combination cached as a token of its own.
 *
 * @module
 */

/**
 * What a token is asked for, on top of the flow's own options: `scope` replaces the flow's scope,
 * `resource` its resource indicators (RFC 8707), e.g. an API that needs another audience. Each
 * combination is a cache entry of its own, with its own token request, single flight and
 * refresh ahead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 * @example
 * ```ts
 * await tokens.getToken({ scope: 'billing:read', resource: 'https://billing.example.com' });
 * const billing = tokens.withParameters({ resource: 'https://billing.example.com' }); // a TokenManager
 * ```
 */
export interface TokenParameters {
  /** The scope to ask for: a space-separated string or an array. */
  readonly scope?: string | readonly string[] | undefined;
  /** The resource indicator(s): absolute URIs without a fragment. */
  readonly resource?: string | readonly string[] | undefined;
}

/**
 * The parameters as one canonical string (scopes and resources sorted, duplicates dropped), or
 * `undefined` when none is given: `{ scope: 'b a' }` and `{ scope: ['a', 'b'] }` are the same
 * token. Throws a `TypeError` naming the parameter for anything else than strings, and for a
 * resource that is not an absolute URI or has a fragment.
 *
 * @example
 * ```ts
 * parametersKey({ scope: 'write read', resource: 'https://api.example.com' });
 * // '{"scope":["read","write"],"resource":["https://api.example.com"]}'
 * ```
 */
export function parametersKey(parameters: TokenParameters | undefined): string | undefined {
  if (parameters === undefined) return undefined;
  if (typeof parameters !== 'object' || parameters === null)
    throw new TypeError('token parameters must be an object with scope and/or resource');
  const scope = listOf('scope', parameters.scope, (item) => item.split(/\s+/));
  const resource = listOf('resource', parameters.resource, (item) => [checkedResource(item)]);
  if (scope === undefined && resource === undefined) return undefined;
  return JSON.stringify({ scope, resource });
}

/**
 * Whether `options` (of `getToken`) ask for token parameters.
 *
 * @example
 * ```ts
 * if (hasParameters(options)) return this.withParameters(options).getToken(options);
 * ```
 */
export function hasParameters(options: TokenParameters | undefined): boolean {
  return options?.scope !== undefined || options?.resource !== undefined;
}

function listOf(
  name: string,
  value: string | readonly string[] | undefined,
  split: (item: string) => string[],
): string[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string'))
    throw new TypeError(`token parameters: ${name} must be a string or an array of strings`);
  const list = [...new Set(items.flatMap(split).filter((item) => item !== ''))].sort();
  return list.length === 0 ? undefined : list;
}

function checkedResource(resource: string): string {
  if (!URL.canParse(resource) || resource.includes('#'))
    throw new TypeError(
      'token parameters: resource must be an absolute URI without a fragment (RFC 8707)',
    );
  return resource;
}
