/**
 * Checking options at every entry point (flows, the token manager, adapters) the same way: a bad
 * option throws at once, a `TypeError` for a wrong type or a `RangeError` for a number out of
 * range, whose message starts with `label`: the function and the option (`createTokenManager:
 * timeoutMs`), or the option alone where the function is obvious (`retryOn401`). A message never
 * quotes a value that may be a secret: strings are described, not shown.
 *
 * @module
 */
import { isLoopbackHost } from './loopback.ts';

/**
 * Checks that the options argument is an object: `${label} must be an object` otherwise.
 *
 * @example
 * ```ts
 * requireObject('clientCredentials: options', options);
 * ```
 */
export function requireObject(label: string, value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`${label} must be an object`);
}

/**
 * A function option: the function, or `undefined` when it is absent. Its signature cannot be
 * checked: `T` is what the caller expects it to be.
 *
 * @example
 * ```ts
 * const onError = optionalFunction<(error: unknown) => void>('createTokenManager: onError', options.onError);
 * ```
 */
export function optionalFunction<T extends (...args: never[]) => unknown>(
  label: string,
  value: unknown,
): T | undefined {
  if (value !== undefined && typeof value !== 'function')
    throw new TypeError(`${label} must be a function`);
  return value as T | undefined;
}

/**
 * A boolean option, or `fallback` when it is absent.
 *
 * @example
 * ```ts
 * const retryOn401 = optionalBoolean('retryOn401', options.retryOn401, true);
 * ```
 */
export function optionalBoolean(label: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${label} must be a boolean`);
  return value;
}

/**
 * Checks a string option that must say something: not empty, not only white space.
 *
 * @example
 * ```ts
 * requireNonEmptyString('refreshToken: refreshToken', options.refreshToken);
 * ```
 */
export function requireNonEmptyString(label: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`${label} must be a non-empty string`);
}

/**
 * One of a few literal values, or `fallback` when absent (`undefined` or `null`): `${label} must
 * be 'a', 'b' or 'c'` otherwise.
 *
 * @example
 * ```ts
 * const bodyFormat = oneOf('tokenRequest: bodyFormat', options.bodyFormat, ['form', 'json'], 'json');
 * ```
 */
export function oneOf<const T extends string>(
  label: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === null) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  const quoted = allowed.map((choice) => `'${choice}'`);
  const list = `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  throw new TypeError(`${label} must be ${list}`);
}

/**
 * Where a number option may lie, and what it is when absent.
 *
 * @example
 * ```ts
 * const range: NumberRange = { min: 1, max: 300_000, fallback: 10_000 };
 * ```
 */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
}

/**
 * A number option within `range` (both ends included), or its fallback when absent. NaN and
 * infinities are out of range.
 *
 * @example
 * ```ts
 * const timeoutMs = numberInRange('createTokenManager: timeoutMs', options.timeoutMs, { min: 1, max: 300_000, fallback: 10_000 });
 * ```
 */
export function numberInRange(label: string, value: unknown, range: NumberRange): number {
  return checkedNumber(label, value, range, 'a number');
}

/**
 * {@link numberInRange} for a count: the number must also be an integer.
 *
 * @example
 * ```ts
 * const limit = integerInRange('createTokenManager: retry.limit', retry.limit, { min: 0, max: 10, fallback: 2 });
 * ```
 */
export function integerInRange(label: string, value: unknown, range: NumberRange): number {
  return checkedNumber(label, value, range, 'an integer');
}

function checkedNumber(
  label: string,
  value: unknown,
  { min, max, fallback }: NumberRange,
  kind: 'a number' | 'an integer',
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number')
    throw new TypeError(`${label} must be a number, got ${typeof value}`);
  const integral = kind === 'a number' || Number.isInteger(value);
  if (Number.isNaN(value) || value < min || value > max || !integral)
    throw new RangeError(`${label} must be ${kind} from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/**
 * An `http:` or `https:` URL option (a string or a `URL`), as its `href`: parseable, absolute,
 * without credentials and without a `#fragment`.
 *
 * @example
 * ```ts
 * const tokenUrl = httpUrl('clientCredentials: tokenUrl', options.tokenUrl);
 * ```
 */
export function httpUrl(label: string, value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof URL))
    throw new TypeError(`${label} must be a URL string`);
  if (!URL.canParse(value)) throw new TypeError(`${label} is not a valid URL`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`${label} must be an http(s) URL`);
  if (url.username || url.password) throw new TypeError(`${label} must not contain credentials`);
  if (url.hash) throw new TypeError(`${label} must not contain a #fragment`);
  return url.href;
}

/**
 * Checks that a token URL is `https:`, unless its host is a loopback host or `allowInsecureHttp`
 * is `true`: a token sent over `http:` can be read on the way. `fn` names the function.
 *
 * @example
 * ```ts
 * requireHttps('createTokenManager', flow.tokenUrl, options.allowInsecureHttp);
 * ```
 */
export function requireHttps(fn: string, tokenUrl: string, allowInsecureHttp: unknown): void {
  if (!URL.canParse(tokenUrl)) throw new TypeError(`${fn}: flow.tokenUrl is not a valid URL`);
  const url = new URL(tokenUrl);
  if (url.protocol === 'https:' || isLoopbackHost(url.hostname) || allowInsecureHttp === true)
    return;
  throw new TypeError(
    `${fn}: the token URL must use https: (got ${url.protocol} for ${url.host}); set allowInsecureHttp: true to allow it`,
  );
}

/**
 * Checks a record of request parameters: strings or arrays of strings (an `undefined` value is
 * left out of the request).
 *
 * @example
 * ```ts
 * requireStringParams('clientCredentials: params', options.params);
 * ```
 */
export function requireStringParams(label: string, params: unknown): void {
  if (params === undefined) return;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new TypeError(`${label} must be an object of parameter names and values`);
  }
  for (const [name, value] of Object.entries(params)) {
    const valid =
      value === undefined ||
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'));
    if (!valid) throw new TypeError(`${label}.${name} must be a string or an array of strings`);
  }
}
