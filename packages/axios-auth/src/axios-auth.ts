import type { AuthOptions } from '@tokenwise/core';
import { assertAuthOptions, createAuthorizer } from '@tokenwise/core/adapter';
import type { AxiosInstance } from 'axios';
import { authorizedAdapter, type InstanceAuth } from './internal/authorized-adapter.ts';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * tokenwise: send this request without a token (and without the extra headers), even to an
     * allowed origin. Its 401 is not retried.
     *
     * @default false
     * @example
     * ```ts
     * await api.get('/health', { skipAuth: true });
     * ```
     */
    skipAuth?: boolean | undefined;
  }
}

/**
 * Options of {@link axiosAuth}: core's `AuthOptions` (`tokens`, `origins`, `headers`,
 * `retryOn401`). With no `origins`, the allowed origin is the one of the instance's `baseURL`
 * when `axiosAuth` is called; with no `baseURL` either, every request gets the token.
 *
 * @example
 * ```ts
 * const options: AxiosAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export interface AxiosAuthOptions extends AuthOptions {}

/** The registrations on each instance, and the one request interceptor that serves them all. */
const instances = new WeakMap<AxiosInstance, Installed>();
interface Installed extends InstanceAuth {
  readonly interceptor: number;
}

/**
 * Makes every request of an axios instance to an allowed origin carry
 * `Authorization: Bearer <token>` (plus the extra headers), and answers a 401 with one re-send
 * carrying a fresh token. Returns a function that undoes this registration.
 *
 * The token is attached, and the 401 re-sent, inside the adapter call (the request interceptor
 * axiosAuth registers only wraps the adapter axios resolves for the request): your interceptors,
 * in whatever order you registered them, and `transformResponse` run once per call, on the final
 * answer; a retry plugin such as axios-retry sees one attempt where axiosAuth re-sent a 401.
 *
 * - Several registrations on one instance (one per vendor, each with its own `tokens` and
 *   `origins`) stay apart: a request is authorized by the first registration whose origins allow
 *   it, and only that one sees its 401.
 * - A 401 invalidates the token that request sent (if still cached), and the request is re-sent
 *   once; a second 401 reaches the caller as axios's usual error (or response). One call is
 *   re-authorized at most once, however often a retry plugin sends its config again.
 * - Redirects: the token and extra headers are dropped on any cross-origin hop (http adapter:
 *   `beforeRedirect`; fetch adapter: a guarded `env.fetch`, one per `fetch`), and stay dropped on
 *   later hops; a 401 to a request without them neither drops nor renews the token.
 * - axios's `timeout` covers the wait for a token too: what is left of it goes to the request.
 * - Stream bodies cannot be replayed: their 401 is returned as is.
 * - When no token can be obtained, the manager's typed error (`TokenEndpointError`, …) rejects
 *   the call unchanged; an aborted `signal` gives axios's `CanceledError`.
 * - Anything but an axios instance (a got instance, a fetch wrapper) is refused with a `TypeError`.
 * - Responses and errors carry your config, which never holds the token; in an error, the sent
 *   request shows the headers axiosAuth set as `[redacted]`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * const api = axios.create({ baseURL: 'https://api.personify.com' });
 * const eject = axiosAuth(api, { tokens, headers: { 'X-Tenant-Id': tenantId } });
 * const { data } = await api.get('/v1/members');
 * eject(); // later: stop authorizing this instance
 * ```
 */
export function axiosAuth(instance: AxiosInstance, options: AxiosAuthOptions): () => void {
  assertAxiosInstance(instance);
  assertAuthOptions(options, 'axiosAuth');
  const authorizer = createAuthorizer(options, instance.defaults.baseURL);
  const registration = { authorizer };
  const auth = instances.get(instance) ?? register(instance);
  auth.registrations.push(registration);
  return () => {
    const at = auth.registrations.indexOf(registration);
    if (at !== -1) auth.registrations.splice(at, 1);
    if (auth.registrations.length > 0 || instances.get(instance) !== auth) return;
    instance.interceptors.request.eject(auth.interceptor);
    instances.delete(instance);
  };
}

/** Registers the request interceptor that gives each request the authorizing adapter. */
function register(instance: AxiosInstance): Installed {
  const auth: InstanceAuth = { instance, registrations: [] };
  const interceptor = instance.interceptors.request.use(
    (config) => {
      if (config.skipAuth !== true) config.adapter = authorizedAdapter(config.adapter, auth);
      return config;
    },
    undefined,
    { synchronous: true },
  );
  const entry = { ...auth, interceptor };
  instances.set(instance, entry);
  return entry;
}

/** An axios instance: a function with request interceptors, defaults and `getUri`. */
function assertAxiosInstance(instance: unknown): asserts instance is AxiosInstance {
  const candidate = instance as Partial<AxiosInstance> | null | undefined;
  if (
    typeof candidate?.interceptors?.request?.use === 'function' &&
    typeof candidate.getUri === 'function' &&
    typeof candidate.defaults === 'object'
  )
    return;
  const got =
    typeof instance === 'function'
      ? 'a function without interceptors'
      : instance === null
        ? 'null'
        : typeof instance === 'object'
          ? 'an object without interceptors'
          : typeof instance;
  throw new TypeError(`axiosAuth: expected an axios instance (axios.create()), got ${got}`);
}
