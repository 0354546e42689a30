/**
 * The adapter that authorizes a request and answers a 401 with one re-send, below every
 * interceptor: axios runs the interceptors and `transformResponse` once, on the final answer.
 *
 * @module
 */
import {
  type Authorization,
  type Authorizer,
  type AuthRequest,
  describeRequest,
  discardBody,
  isReplayableBody,
  onRejected,
  ResendBudget,
  redactSentHeaders,
  redirectStepFor,
} from '@tokenwise/core/adapter';
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';
import { followsRedirects } from './follows-redirects.ts';
import { giveBack, lend, timeoutError } from './lent-config.ts';
import { AttemptGuard } from './redirect-guards.ts';
import { requestOrigin } from './request-url.ts';

/**
 * The registrations on one axios instance, in registration order: the first whose origins
 * allow a request's URL authorizes it; the others leave it alone.
 *
 * @example
 * ```ts
 * const auth: InstanceAuth = { instance, registrations: [{ authorizer }] };
 * ```
 */
export interface InstanceAuth {
  readonly instance: AxiosInstance;
  /** Live: `axiosAuth` adds to it, its eject function removes from it. */
  readonly registrations: { readonly authorizer: Authorizer }[];
}

/** What `config.adapter` holds: a name, an adapter, or a list of them (axios takes the first available). */
type AdapterSpec = InternalAxiosRequestConfig['adapter'];
/**
 * The config, with the call's re-sends per authorizer (each re-authorizes a call once) across the
 * times a retry plugin sends it again (axios-retry sends `error.config`): a string key, which
 * axios's config merge keeps.
 */
type Config = InternalAxiosRequestConfig & {
  [callKey]?: WeakMap<Authorizer, ResendBudget> | undefined;
};
const callKey = 'tokenwise';

/** Our adapters hold the adapter spec each wraps, so that a config sent again is not wrapped twice. */
const wrappedSpec = Symbol('tokenwise.wrapped');
type WrappingAdapter = AxiosAdapter & { [wrappedSpec]?: AdapterSpec };

/**
 * An adapter that sends through `spec` (what `config.adapter` held; resolved with axios's
 * `getAdapter`) with the token and headers of the first registration of `auth` that applies,
 * and re-sends once with a fresh token after a rejection. Requests no registration applies to go
 * through `spec` untouched.
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

/** One call to authorize: the caller's config, where it goes, who authorizes it, and how. */
interface Call {
  readonly config: Config;
  /** Where it goes: the full URL once something asked for it, else as far as its origin goes. */
  readonly url: () => string;
  /** What the token is for: the request described, its full URL made when read. */
  readonly request: AuthRequest;
  readonly authorizer: Authorizer;
  readonly inner: AdapterSpec;
}
/** One attempt: the authorization it carried, its redirect guard, and how the adapter settled. */
interface Attempt {
  readonly auth: Authorization;
  readonly guard: AttemptGuard;
  readonly settled: PromiseSettledResult<AxiosResponse>;
}

async function send(config: Config, inner: AdapterSpec, auth: InstanceAuth) {
  // `skipAuth` set after our interceptor ran (by one that runs later, or on a config re-sent by a
  // retry plugin, whose adapter is already this one) is honoured here.
  if (config.skipAuth === true) return resolve(inner, config)(config);
  const target = requestOrigin(auth.instance, config);
  const registration = target === undefined ? undefined : registrationFor(auth, target);
  if (registration === undefined || target === undefined) return resolve(inner, config)(config);
  // The full URL (axios's own, query from `params` included), for whatever reads it (a header
  // function, a tokens function, a DPoP proof): `getUri` merges the whole config, made once then.
  let full: string | undefined;
  const request = describeRequest(
    () => (full ??= auth.instance.getUri(config)),
    config.method,
    config.headers,
  );
  const { authorizer } = registration;
  const call: Call = { config, url: () => full ?? target, request, authorizer, inner };
  let last = await attempt(call);
  // Each answer the authorizer wants re-sent goes to onRejected, which counts the call's re-sends.
  for (let response = responseOf(last); response !== undefined; response = responseOf(last)) {
    const answer = last.guard.answer(response);
    if (!authorizer.wantsResend(answer)) break;
    const resends = resendsOf(config, authorizer);
    const replayable = isReplayableBody(config.data);
    const rejection = { authorization: last.auth, request, answer, resends, replayable };
    if (!(await onRejected(authorizer, rejection))) break;
    discardBody(response.data);
    last = await attempt(call);
  }
  return deliver(config, last);
}

/**
 * Sends the config once through the inner adapter, with a token, redirect guards and what is
 * left of axios's `timeout` after the wait for the token. A token error rejects the call
 * unchanged; an abort while waiting becomes axios's CanceledError.
 */
async function attempt({ config, url, request, authorizer, inner }: Call): Promise<Attempt> {
  const timeout = config.timeout ?? 0;
  const started = timeout > 0 ? Date.now() : 0;
  const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
  const authorized = authorizer.authorize(
    request,
    timeout > 0
      ? { signal, timeout, timeoutError: () => timeoutError(config) }
      : signal && { signal }, // no object for most requests
  );
  // The authorization itself while the manager keeps its token: nothing to wait for.
  const auth = authorized instanceof Promise ? await authorized : authorized;
  const onHop = redirectStepFor(auth);
  const guard = new AttemptGuard(url(), Object.keys(auth.headers), config.beforeRedirect, onHop);
  const left = timeout > 0 ? Math.max(1, timeout - (Date.now() - started)) : timeout;
  const own = lend(config, auth, guard, left);
  try {
    const adapter = resolve(inner, config);
    // A DPoP request's hops need a proof each: through the http adapter, followed here.
    const value = followsRedirects(adapter, config, onHop)
      ? await (await import('./dpop-redirects.ts')).sendFollowing(adapter, config, guard)
      : await adapter(config);
    return { auth, guard, settled: { status: 'fulfilled', value } };
  } catch (reason) {
    return { auth, guard, settled: { status: 'rejected', reason } };
  } finally {
    giveBack(config, own);
  }
}

/** The first registration of `auth` whose origins allow `url`. */
function registrationFor(auth: InstanceAuth, url: string) {
  for (const registration of auth.registrations)
    if (registration.authorizer.appliesTo(url)) return registration;
  return undefined;
}

/** The call's re-sends by `authorizer`, kept in the config for a retry plugin's re-sends. */
function resendsOf(config: Config, authorizer: Authorizer): ResendBudget {
  config[callKey] ??= new WeakMap();
  let resends = config[callKey].get(authorizer);
  if (resends === undefined) {
    resends = new ResendBudget();
    config[callKey].set(authorizer, resends);
  }
  return resends;
}

/**
 * Hands the answer to axios with the caller's config in it, which never held the token, and the
 * request it sent redacted: an error shows no token when logged, whether the adapter failed or
 * axios (or an interceptor) fails the answer later; and sending its config again (as a retry
 * plugin does) authorizes it anew.
 */
function deliver(config: Config, { guard: { names }, settled }: Attempt): AxiosResponse {
  if (settled.status === 'fulfilled') {
    if (config[callKey] !== undefined) delete config[callKey]; // an answer ends the call
    settled.value.config = config;
    redactSentHeaders(settled.value.request, names);
    return settled.value;
  }
  const error: unknown = settled.reason;
  if (isAxiosError(error)) {
    error.config = config;
    if (error.response !== undefined) error.response.config = config;
    for (const sent of new Set([error.request, error.response?.request]))
      redactSentHeaders(sent, names);
  }
  throw error;
}

function resolve(inner: AdapterSpec, config: Config): AxiosAdapter {
  return axios.getAdapter(inner ?? axios.defaults.adapter, config);
}

function responseOf({ settled }: Attempt): AxiosResponse | undefined {
  if (settled.status === 'fulfilled') return settled.value;
  return isAxiosError(settled.reason) ? settled.reason.response : undefined;
}
