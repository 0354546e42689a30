/**
 * The only ways a value reaches an event: each keeps what is safe to log and drops the rest.
 *
 * @module
 */
import type { ErrorSummary } from './token-event.ts';

/**
 * An error's class name and code, never its message (which may quote a server or a store).
 * Codes are kept only when they look like codes (`ERR_TOKEN_ENDPOINT`, `ECONNREFUSED`).
 *
 * @example
 * ```ts
 * errorSummary(new TokenTimeoutError('…')); // { name: 'TokenTimeoutError', code: 'ERR_TOKEN_TIMEOUT' }
 * ```
 */
export function errorSummary(error: unknown): ErrorSummary {
  if (typeof error !== 'object' || error === null) return { name: typeof error };
  const { name, code } = error as { name?: unknown; code?: unknown };
  const safeName = typeof name === 'string' && errorName.test(name) ? name : 'Error';
  return typeof code === 'string' && errorCode.test(code)
    ? { name: safeName, code }
    : { name: safeName };
}

/** A class name as errors have them (`TokenEndpointError`, `TimeoutError`), else shown as `Error`. */
const errorName = /^[A-Z][A-Za-z0-9]{0,62}(Error|Exception)$/;

/** A code as tokenwise (`ERR_TOKEN_ENDPOINT`) and Node (`ERR_…`, `ECONNREFUSED`) write them. */
const errorCode = /^(ERR_[A-Z0-9_]{1,60}|E[A-Z]{2,20})$/;

/**
 * The HTTP status an error carries (a token endpoint's answer), else `undefined`.
 *
 * @example
 * ```ts
 * statusOf(new TokenEndpointError(400, {})); // 400
 * ```
 */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/**
 * A token URL as events show it: origin and path, without credentials, query or fragment.
 *
 * @example
 * ```ts
 * endpointOf('https://user:pw@auth.example.com/token?api_key=k#x'); // 'https://auth.example.com/token'
 * ```
 */
export function endpointOf(url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return `${origin}${pathname}`;
  } catch {
    return '';
  }
}

/**
 * The origin of a request URL (`https://api.example.com`), or `''` when it is not a URL.
 *
 * @example
 * ```ts
 * originOf('https://api.example.com/users/42?key=k'); // 'https://api.example.com'
 * ```
 */
export function originOf(url: string | URL): string {
  try {
    const { origin } = typeof url === 'string' ? new URL(url) : url;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}
