/**
 * Redirects of a DPoP request through axios's http adapter, followed here: follow-redirects calls
 * `beforeRedirect` synchronously, and a hop's proof (signed with WebCrypto) cannot be made in
 * time. The adapter sends each hop with `maxRedirects: 0`, as follow-redirects would (the fetch
 * standard's method rewrite, at most `maxRedirects` hops, its error past them), with a fresh
 * proof on each hop that stays on the origin and neither the token nor a proof beyond it.
 *
 * Loaded with the first such request (`import()`): other users of axios-auth never carry it.
 *
 * @module
 */
import {
  discardBody,
  isReplayableBody,
  RedirectTrail,
  type TrailInvalidLocation,
  type TrailTooMany,
} from '@tokenwise/core/adapter';
import {
  type AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';
import type { AttemptGuard } from './redirect-guards.ts';

type Config = InternalAxiosRequestConfig;

/** follow-redirects' limit when axios's `maxRedirects` is not set. */
const defaultMaxRedirects = 21;

/**
 * Sends `config` through `adapter` with `maxRedirects: 0` and follows its redirects here (see
 * the module), each hop as core's `RedirectTrail` decides it. Resolves or rejects as axios does
 * with the final answer; past the limit or at a `Location` that makes no URL, with
 * follow-redirects' error as axios gives it (`ERR_FR_TOO_MANY_REDIRECTS`,
 * `ERR_FR_REDIRECTION_FAILURE`). A 307/308 of a body that cannot be sent again is the answer.
 * The attempt's `guard` learns where the answer came from.
 *
 * @example
 * ```ts
 * const response = await sendFollowing(adapter, config, guard);
 * ```
 */
export async function sendFollowing(
  adapter: AxiosAdapter,
  config: Config,
  guard: AttemptGuard,
): Promise<AxiosResponse> {
  const trail = new RedirectTrail({
    url: guard.url,
    method: config.method ?? 'get',
    sensitiveHeaders: guard.names,
    replayableBody: isReplayableBody(config.data),
    maxRedirects: config.maxRedirects ?? defaultMaxRedirects,
    onHop: guard.onHop,
  });
  guard.followed(trail);
  let hopConfig: Config = { ...config, maxRedirects: 0 };
  for (;;) {
    const sent = await sendOnce(adapter, hopConfig);
    const { response } = sent;
    const hop = trail.next({
      status: response.status,
      location: response.headers.location,
      hopHadBody: hopConfig.data != null,
    });
    if (hop.type === 'done') return sent.settle();
    discardBody(response.data);
    if (hop.type !== 'hop') throw redirectFailure(hop, config, response);
    // The caller's hook sees the hop as follow-redirects would show it, before the auth headers
    // are settled: whatever it sets, a hop off the origin carries neither token nor proof.
    const options = {
      href: hop.url,
      method: hop.method,
      headers: AxiosHeaders.from(hopConfig.headers).toJSON(),
    };
    const answered = {
      headers: response.headers as Record<string, unknown>,
      statusCode: response.status,
    };
    guard.callersHook(options, answered);
    const headers = AxiosHeaders.from(options.headers as Record<string, string>);
    for (const name of hop.omit) headers.delete(name);
    headers.set(await trail.stepHeaders(response.headers as Record<string, unknown>));
    // The hop's URL is absolute and complete: no base URL before it, no `params` after it.
    const { baseURL: _, params: __, ...rest } = hopConfig;
    const data: unknown = hop.sendsBody ? hopConfig.data : undefined;
    hopConfig = { ...rest, url: hop.url, method: hop.method.toLowerCase(), data, headers };
  }
}

/** One send: the response (also that of axios's HTTP error), and the outcome to hand on. */
async function sendOnce(
  adapter: AxiosAdapter,
  config: Config,
): Promise<{ readonly response: AxiosResponse; settle(): AxiosResponse }> {
  try {
    const response = await adapter(config);
    return { response, settle: () => response };
  } catch (error) {
    if (!isAxiosError(error) || error.response === undefined) throw error;
    return {
      response: error.response,
      settle: () => {
        throw error;
      },
    };
  }
}

/**
 * follow-redirects' error for a redirect that ends the trail, wrapped as axios's http adapter
 * wraps it (the error a caller gets without DPoP): past the limit `ERR_FR_TOO_MANY_REDIRECTS`;
 * at a `Location` that makes no URL `ERR_FR_REDIRECTION_FAILURE`, caused by Node's `TypeError`.
 */
function redirectFailure(
  step: TrailTooMany | TrailInvalidLocation,
  config: Config,
  response: AxiosResponse,
): AxiosError {
  const [code, message, cause] =
    step.type === 'tooMany'
      ? ['ERR_FR_TOO_MANY_REDIRECTS', 'Maximum number of redirects exceeded']
      : [
          'ERR_FR_REDIRECTION_FAILURE',
          'Redirected request failed: Invalid URL',
          Object.assign(new TypeError('Invalid URL'), {
            code: 'ERR_INVALID_URL',
            input: step.location,
          }),
        ];
  const error = Object.assign(new Error(message, cause && { cause }), { code });
  error.name = `Error [${code}]`;
  return AxiosError.from(error, code, config, response.request);
}
