/**
 * The adapter that authorizes a request and answers a 401 with one re-send, below every
 * interceptor: axios runs the interceptors and `transformResponse` once, on the final answer.
 *
 * @module
 */
import {
  type Authorization,
  type Authorizer,
  isReplayableBody,
  redactSentHeaders,
} from '@tokenwise/core/adapter';
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';
import type { AttemptGuard, RedirectGuards } from './redirect-guards.ts';
import { fullUrl, joinUrl } from './request-url.ts';

/**
 * One `axiosAuth` call: its authorizer, its redirect guards, and whether its extra headers come
 * from a function (which gets the full URL, query included).
 *
 * @example
 * ```ts
 * const registration: Registration = { authorizer, guards: redirectGuards(authorizer), headerFunction: false };
 * ```
 */
export interface Registration {
  readonly authorizer: Authorizer;
  readonly guards: RedirectGuards;
  readonly headerFunction: boolean;
}

/**
 * The registrations on one axios instance, in registration order: the first whose origins
 * allow a request's URL authorizes it; the others leave it alone.
 *
 * @example
 * ```ts
 * const auth: InstanceAuth = { instance, registrations: [vendorA, vendorB] };
 * ```
 */
export interface InstanceAuth {
  readonly instance: AxiosInstance;
  /** Live: `axiosAuth` adds to it, its eject function removes from it. */
  readonly registrations: Registration[];
}

/** What `config.adapter` holds: a name, an adapter, or a list of them (axios takes the first available). */
type AdapterSpec = InternalAxiosRequestConfig['adapter'];
type Config = InternalAxiosRequestConfig & { [callKey]?: ReauthorizedBy | undefined };

/**
 * The call as the caller made it, across the times a retry plugin sends its config again
 * (axios-retry sends `error.config`): the authorizers that re-authorized it (each does so once per
 * call), kept on the config, which axios copies by reference. Made on the first re-send only.
 */
type ReauthorizedBy = WeakSet<Authorizer>;
const callKey = 'tokenwise';

/** Our adapters hold the adapter spec each wraps, so that a config sent again is not wrapped twice. */
const wrappedSpec = Symbol('tokenwise.wrapped');
type WrappingAdapter = AxiosAdapter & { [wrappedSpec]?: AdapterSpec };

/**
 * An adapter that sends through `spec` (what `config.adapter` held; resolved with axios's
 * `getAdapter`) with the token and headers of the first registration of `auth` that applies,
 * and re-sends once with a fresh token after a 401. Requests no registration applies to, and
 * `skipAuth` ones, go through `spec` untouched.
 *
 * @example
 * ```ts
 * instance.interceptors.request.use((config) => {
 *   config.adapter = authorizedAdapter(config.adapter, auth);
 *   return config;
 * });
 * ```
 */
export function authorizedAdapter(spec: AdapterSpec, auth: InstanceAuth): AxiosAdapter {
  const inner = (typeof spec === 'function' && (spec as WrappingAdapter)[wrappedSpec]) || spec;
  const adapter: WrappingAdapter = (config) => send(config, inner, auth);
  adapter[wrappedSpec] = inner;
  return adapter;
}

/** One request to authorize: the caller's config, where it goes, who authorizes it, and how to send it. */
interface AuthorizedRequest {
  readonly config: Config;
  readonly url: string;
  readonly registration: Registration;
  readonly inner: AdapterSpec;
}
/** One attempt: the authorization it carried, its redirect guard, and how the inner adapter settled. */
interface Attempt {
  readonly auth: Authorization;
  readonly guard: AttemptGuard;
  readonly settled: PromiseSettledResult<AxiosResponse>;
}

async function send(config: Config, inner: AdapterSpec, auth: InstanceAuth) {
  const target = joinUrl(config);
  const registration =
    config.skipAuth === true
      ? undefined
      : auth.registrations.find(({ authorizer }) => authorizer.appliesTo(target));
  const url = registration?.headerFunction ? fullUrl(auth.instance, config) : target;
  if (registration === undefined || url === undefined) return resolve(inner, config)(config);
  const request: AuthorizedRequest = { config, url, registration, inner };
  const first = await attempt(request);
  const final = responseOf(first)?.status === 401 ? await afterRejection(request, first) : first;
  return deliver(request, final ?? first);
}

/**
 * Sends the config once through the inner adapter, with a token and redirect guards. A token
 * error rejects the call unchanged; an abort while waiting becomes axios's CanceledError.
 */
function attempt(request: AuthorizedRequest): Promise<Attempt> {
  const { config, url, registration } = request;
  const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
  const auth = registration.authorizer.authorizeNow(url, signal);
  if (auth !== undefined) return sendWith(request, auth);
  return registration.authorizer.authorize(url, signal).then((fresh) => sendWith(request, fresh));
}

async function sendWith(request: AuthorizedRequest, auth: Authorization): Promise<Attempt> {
  const { config, url, registration, inner } = request;
  const guard = registration.guards.attempt(config, url, Object.keys(auth.headers));
  const outgoing = copyOf(config);
  outgoing.headers = config.headers.concat(auth.headers);
  outgoing.beforeRedirect = guard.hooks.beforeRedirect;
  outgoing.env = guard.hooks.env;
  try {
    const value = await resolve(inner, outgoing)(outgoing);
    return { auth, guard, settled: { status: 'fulfilled', value } };
  } catch (reason) {
    return { auth, guard, settled: { status: 'rejected', reason } };
  }
}

/**
 * After a 401: the one re-send of the call with a fresh token, or undefined when the 401
 * stands (the call was re-authorized already, the body cannot be replayed, or the authorizer
 * says no). A 401 to a fresh token is reported, so that re-authorization is bounded.
 */
async function afterRejection(request: AuthorizedRequest, first: Attempt) {
  const { config, url, registration } = request;
  const { authorizer } = registration;
  const rejected = responseOf(first) as AxiosResponse;
  const answer = first.guard.answer(rejected);
  const call: ReauthorizedBy = config[callKey] ?? new WeakSet();
  config[callKey] = call;
  if (call.has(authorizer)) {
    authorizer.refusedOnRetry(first.auth.token, url, answer);
    return undefined;
  }
  if (!isReplayableBody(config.data)) return undefined;
  if (!(await authorizer.shouldRetry(first.auth.token, url, answer))) return undefined;
  call.add(authorizer);
  discard(rejected.data);
  const second = await attempt(request);
  const again = responseOf(second);
  if (again?.status === 401)
    authorizer.refusedOnRetry(second.auth.token, url, second.guard.answer(again));
  return second;
}

/**
 * Hands the answer to axios with the caller's config in it, which never held the token: an
 * error shows no token when logged (the request it sent is redacted, whether the adapter failed
 * or axios fails the answer later), and sending its config again (as a retry plugin does)
 * authorizes it anew.
 */
function deliver({ config }: AuthorizedRequest, { auth, settled }: Attempt): AxiosResponse {
  if (settled.status === 'fulfilled') {
    if (config[callKey] !== undefined) delete config[callKey]; // an answer ends the call
    settled.value.config = config;
    // axios may still turn this answer into an error (transformResponse, validateStatus, an
    // interceptor), which carries the sent request: nothing is sent with it again.
    redactSentHeaders(settled.value.request, Object.keys(auth.headers));
    return settled.value;
  }
  const error: unknown = settled.reason;
  if (isAxiosError(error)) {
    error.config = config;
    if (error.response !== undefined) error.response.config = config;
    const names = Object.keys(auth.headers);
    for (const sent of new Set([error.request, error.response?.request]))
      redactSentHeaders(sent, names);
  }
  throw error;
}

/**
 * A shallow copy of `config`, own enumerable keys, like `{ ...config }`: axios makes configs
 * without a prototype, which V8 keeps as dictionaries, and a loop copies those 3× faster than a spread.
 */
function copyOf(config: Config): Config {
  const copy = {} as Config;
  for (const key of Object.keys(config) as (keyof Config)[]) copy[key] = config[key] as never;
  return copy;
}

function resolve(inner: AdapterSpec, config: Config): AxiosAdapter {
  return axios.getAdapter(inner ?? axios.defaults.adapter, config);
}

function responseOf({ settled }: Attempt): AxiosResponse | undefined {
  if (settled.status === 'fulfilled') return settled.value;
  return isAxiosError(settled.reason) ? settled.reason.response : undefined;
}

/** Releases a response body nobody will read: a stream's socket goes back to the pool. */
function discard(data: unknown): void {
  if (typeof (data as { destroy?: unknown } | null)?.destroy === 'function') {
    (data as { destroy(): void }).destroy();
  } else if (data instanceof ReadableStream) {
    data.cancel().catch(() => {});
  }
}
