/**
 * The challenges of a `WWW-Authenticate` header (RFC 9110 §11.6.1), read the way a client needs
 * them: several challenges in one value, any scheme, parameters as tokens or quoted strings, or a
 * `token68`. Pure and lenient: what does not parse is skipped, never thrown.
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

/** RFC 9110 `tchar`. */
const tokenChar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** RFC 9110 `token68` characters, without the trailing `=`. */
const token68Char = /[-._~+/0-9A-Za-z]/;

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
  if (!value) return challenges;
  const reader = new Reader(value);
  while (reader.skipSeparators()) {
    const scheme = reader.token();
    if (scheme === '') {
      reader.skipOne(); // not a challenge: skip the character
      continue;
    }
    challenges.push(readChallenge(reader, scheme));
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

function readChallenge(reader: Reader, scheme: string): AuthChallenge {
  const params: Record<string, string> = Object.create(null);
  if (!reader.skipSpaces() || reader.peek() === ',') return { scheme, params };
  if (!reader.atParam()) {
    const token68 = reader.token68();
    if (token68 !== '') return { scheme, params, token68 };
  }
  // Parameters, separated by commas, until something that is not a parameter: the next challenge.
  while (reader.atParam()) {
    const name = reader.token().toLowerCase();
    reader.skipSpaces();
    reader.skipOne(); // '='
    reader.skipSpaces();
    const paramValue = reader.peek() === '"' ? reader.quoted() : reader.token();
    if (!(name in params)) params[name] = paramValue;
    reader.skipSeparators();
  }
  return { scheme, params };
}

/** A cursor over the header value. */
class Reader {
  #at = 0;
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }

  peek(offset = 0): string {
    return this.#text.charAt(this.#at + offset);
  }

  skipOne(): void {
    this.#at++;
  }

  /** Skips spaces and tabs; whether anything is left. */
  skipSpaces(): boolean {
    while (this.peek() === ' ' || this.peek() === '\t') this.#at++;
    return this.#at < this.#text.length;
  }

  /** Skips spaces, tabs and commas (empty list elements); whether anything is left. */
  skipSeparators(): boolean {
    while (this.skipSpaces() && this.peek() === ',') this.#at++;
    return this.#at < this.#text.length;
  }

  token(): string {
    const start = this.#at;
    while (tokenChar.test(this.peek())) this.#at++;
    return this.#text.slice(start, this.#at);
  }

  token68(): string {
    const start = this.#at;
    while (token68Char.test(this.peek())) this.#at++;
    while (this.peek() === '=') this.#at++;
    const end = this.#at;
    // A token68 ends the challenge: anything else before the next comma is not part of it.
    this.skipSpaces();
    if (this.peek() !== ',' && this.#at < this.#text.length) {
      this.#at = start;
      return '';
    }
    return this.#text.slice(start, end);
  }

  /** A quoted string from its opening `"`, unescaped; an unterminated one runs to the end. */
  quoted(): string {
    let value = '';
    this.#at++;
    while (this.#at < this.#text.length) {
      const char = this.peek();
      this.#at++;
      if (char === '"') return value;
      if (char === '\\' && this.#at < this.#text.length) {
        value += this.peek();
        this.#at++;
      } else {
        value += char;
      }
    }
    return value;
  }

  /** Whether a parameter (`name=value`, `name = "value"`) starts here. */
  atParam(): boolean {
    let at = this.#at;
    const text = this.#text;
    const start = at;
    while (tokenChar.test(text.charAt(at))) at++;
    if (at === start) return false;
    while (text.charAt(at) === ' ' || text.charAt(at) === '\t') at++;
    if (text.charAt(at) !== '=') return false;
    at++;
    while (text.charAt(at) === ' ' || text.charAt(at) === '\t') at++;
    const next = text.charAt(at);
    return next === '"' || (next !== '=' && tokenChar.test(next));
  }
}
