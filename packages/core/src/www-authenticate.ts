/**
 * The challenges of a `WWW-Authenticate` header (RFC 9110 §11.6.1), read the way a client needs
 * them: several challenges in one value, any scheme, parameters as tokens or quoted strings, or a
 * `token68`. Pure and lenient: what does not parse is skipped, never thrown. One sticky regular
 * expression reads the list item by item.
 *
 * @module
 */

/**
 * One challenge of a `WWW-Authenticate` header: `Bearer error="insufficient_scope"`,
 * `DPoP error="use_dpop_nonce"`, `Basic realm="api"`, `Negotiate abc==`.
 *
 * @example
 * ```ts
 * const challenge: AuthChallenge = { scheme: 'Bearer', params: { error: 'invalid_token' } };
 * ```
 */
export interface AuthChallenge {
  /** The auth scheme as the server wrote it (compare it case-insensitively). */
  readonly scheme: string;
  /** The parameters, names in lower case (they are case-insensitive), values unquoted. */
  readonly params: Readonly<Record<string, string>>;
  /** The `token68` form (`Basic dXNlcjpwYXNz`), when the challenge has one instead of parameters. */
  readonly token68?: string | undefined;
}

/** RFC 9110 `token`. */
const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
/**
 * One item of the list, after separators: a parameter (`name = value`, `name="quoted"`), a scheme
 * with its `token68` (which ends the challenge), a scheme alone, or a stray character (skipped).
 * Made on first use: a bundle that never parses a challenge does not build it.
 */
let item: RegExp | undefined;
const itemPattern = (): RegExp =>
  new RegExp(
    `[ \\t,]*(?:(${token})[ \\t]*=[ \\t]*(?:"((?:[^"\\\\]|\\\\.)*)"?|(${token}))` +
      `|(${token})(?:[ \\t]+([-._~+/0-9A-Za-z]+=*)(?=[ \\t]*(?:,|$)))?|[^ \\t,])`,
    'y',
  );

/**
 * The challenges of one `WWW-Authenticate` value (or of several, joined with `, ` as `Headers`
 * does), in order. `null` and `''` give none.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * @example
 * ```ts
 * parseWwwAuthenticate('Bearer realm="api", error="insufficient_scope", DPoP algs="ES256"');
 * // [{ scheme: 'Bearer', params: { realm: 'api', error: 'insufficient_scope' } },
 * //  { scheme: 'DPoP', params: { algs: 'ES256' } }]
 * ```
 */
export function parseWwwAuthenticate(value: string | null | undefined): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: { scheme: string; params: Record<string, string>; token68?: string } | undefined;
  if (!value) return challenges;
  item ??= itemPattern();
  const items = item;
  items.lastIndex = 0;
  // Each match takes at least one character; at the end (or only separators left) none matches.
  for (let match = items.exec(value); match !== null; match = items.exec(value)) {
    const [, name, quoted, plain, scheme, token68] = match;
    if (scheme !== undefined) {
      current = { scheme, params: Object.create(null) };
      if (token68 !== undefined) current.token68 = token68;
      challenges.push(current);
    } else if (name !== undefined && current !== undefined) {
      const key = name.toLowerCase();
      // The first of a repeated parameter wins; a quoted string is unescaped.
      if (!(key in current.params))
        current.params[key] = quoted?.replace(/\\(.)/g, '$1') ?? plain ?? '';
    }
  }
  return challenges;
}

/**
 * The value of parameter `name` in the first challenge that has it, of scheme `scheme` when given
 * (case-insensitive), e.g. the `error` of a Bearer challenge.
 *
 * @example
 * ```ts
 * challengeParam(response.headers.get('www-authenticate'), 'error', 'DPoP'); // 'use_dpop_nonce'
 * ```
 */
export function challengeParam(
  value: string | null | undefined,
  name: string,
  scheme?: string,
): string | undefined {
  const wanted = name.toLowerCase();
  const ofScheme = scheme?.toLowerCase();
  for (const challenge of parseWwwAuthenticate(value)) {
    if (ofScheme !== undefined && challenge.scheme.toLowerCase() !== ofScheme) continue;
    const found = challenge.params[wanted];
    if (found !== undefined) return found;
  }
  return undefined;
}
