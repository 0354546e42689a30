/**
 * What may go in an HTTP header, checked before anything is sent: a client (axios, undici) that
 * meets a bad value either throws deep inside its stack or, worse, strips or folds it and sends a
 * different value than the one configured. tokenwise refuses such values with a `TypeError` that
 * names the header, and never alters one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5
 */

/** RFC 9110 §5.1 field-name: a token. */
const fieldName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * RFC 9110 §5.5 field-value: visible ASCII and obs-text (up to U+00FF), spaces and tabs only
 * inside. No control character (CR, LF, NUL, DEL, …), nothing above U+00FF, and no leading or
 * trailing white space, which `Headers` would trim (the server would get another value). Empty is
 * allowed.
 */
const fieldValue = /^(?:[\x21-\x7E\x80-\xFF](?:[\t\x20-\x7E\x80-\xFF]*[\x21-\x7E\x80-\xFF])?)?$/;

/**
 * An access token that can be sent as `Authorization: <scheme> <token>` unchanged: RFC 6749 A.12
 * VSCHAR (`%x20-7E`), without leading or trailing space.
 */
const sendableToken = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/;

/** Whether `name` is a valid header name. */
export function isHeaderName(name: string): boolean {
  return fieldName.test(name);
}

/** Whether `value` can be sent as a header value exactly as it is. */
export function isHeaderValue(value: string): boolean {
  return fieldValue.test(value);
}

/** Whether an access token can be sent in an `Authorization` header exactly as it is. */
export function isSendableToken(value: unknown): value is string {
  return typeof value === 'string' && sendableToken.test(value);
}

/**
 * Checks a record of extra headers: an object whose names are header names and whose values are
 * strings a header can carry unchanged. Throws a `TypeError` that starts with `where` and names
 * the offending header (never its value, which may be a secret).
 *
 * @example
 * ```ts
 * assertHeaderRecord({ 'X-Tenant-Id': 'a\r\nb' }, 'axiosAuth: headers'); // TypeError naming X-Tenant-Id
 * ```
 */
export function assertHeaderRecord(
  headers: unknown,
  where: string,
): asserts headers is Readonly<Record<string, string>> {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError(`${where} must be an object of header names and values`);
  }
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    // `__proto__`: axios's and got's header records take it for their prototype (the header lost).
    if (!isHeaderName(name) || name === '__proto__') {
      throw new TypeError(`${where}: ${JSON.stringify(name)} is not a valid header name`);
    }
    const lowerCase = name.toLowerCase();
    if (seen.has(lowerCase)) {
      throw new TypeError(`${where}: header '${name}' is named twice (names ignore case)`);
    }
    seen.add(lowerCase);
    if (typeof value !== 'string') {
      throw new TypeError(
        `${where}: header '${name}' must have a string value, got ${typeOf(value)}`,
      );
    }
    if (!isHeaderValue(value)) {
      throw new TypeError(
        `${where}: header '${name}' has a value a header cannot carry unchanged (a line break or other control character, a character above U+00FF, or leading or trailing white space)`,
      );
    }
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
