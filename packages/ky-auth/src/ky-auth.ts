/// <reference types="ky" preserve="true" />
import type { AuthOptions } from '@tokenwise/core';
import {
  answerOf,
  assertAuthOptions,
  createAuthorizer,
  describeRequest,
  fetchWithRedirectGuard,
  onRejected,
  redirectStepFor,
} from '@tokenwise/core/adapter';
import {
  type AfterResponseHook,
  type BeforeErrorHook,
  type BeforeRequestHook,
  type BeforeRetryHook,
  type InitHook,
  type NormalizedOptions,
  TimeoutError,
} from 'ky';
import { KyCall } from './internal/ky-call.ts';
import { reserveResend } from './internal/resend-room.ts';

/**
 * Options of {@link kyAuth}: core's `AuthOptions`. ky's own options (`fetch`, `retry`, `timeout`,
 * other hooks) stay on ky.
 *
 * @example
 * ```ts
 * const options: KyAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export interface KyAuthOptions extends AuthOptions {}

/**
 * The per-request `context` kyAuth reads: `{ skipAuth: true }` sends the request without a token.
 *
 * @example
 * ```ts
 * await api.get('health', { context: { skipAuth: true } satisfies KyAuthContext });
 * ```
 */
export interface KyAuthContext {
  /** Send this request without the token and extra headers. @default false */
  readonly skipAuth?: boolean | undefined;
}

declare module 'ky' {
  interface Options {
    /** User data for hooks; `skipAuth: true` sends the request without a token (kyAuth). */
    context?: KyAuthContext & Record<string, unknown>;
  }
}

/**
 * The ky options {@link kyAuth} returns: hooks only, for `ky.create()` or `.extend()`.
 *
 * @example
 * ```ts
 * const defaults: KyAuthDefaults = kyAuth({ tokens });
 * const api = ky.create({ ...defaults, prefix: 'https://api.example.com' });
 * ```
 */
export interface KyAuthDefaults {
  hooks: {
    init: InitHook[];
    beforeRequest: BeforeRequestHook[];
    afterResponse: AfterResponseHook[];
    beforeError: BeforeErrorHook[];
  };
}

/**
 * ky hooks that give every request to an allowed origin `Authorization: Bearer <token>` plus the
 * extra headers, and answer a rejected token (a 401, see `reauthorizeOn`) by one re-send with a
 * fresh token (`ky.retry`). The default
 * allowed origin is the origin of the instance's `prefix` (when absolute) or `baseUrl`; with
 * none, every request. `context: { skipAuth: true }` opts a request out. Register it several times
 * (one per vendor, each with its own `origins`): the first whose origins match a request
 * authorizes it, and only that one answers its 401.
 *
 * - The re-send is kyAuth's, not one of your retries: it does not count against `retry.limit`,
 *   and your `shouldRetry` and `beforeRetry` hooks neither see it nor count it.
 * - ky's `timeout` also bounds the wait for a token, and the redirect hops kyAuth follows
 *   (each on its own, as ky times each attempt).
 * - Redirects of an authorized request are followed by kyAuth (ky sends it with
 *   `redirect: 'manual'`), through the `fetch` given to ky: the token and extra headers never
 *   cross to another origin, nor come back with a later hop (a 401 to a request without them
 *   neither drops nor renews the token). With a DPoP token, each hop on the origin carries a new
 *   proof for its own URL and method. Hooks registered before kyAuth see the 3xx.
 * - A streamed body is sent once: its 401 is returned.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * import ky from 'ky';
 * import { kyAuth } from '@tokenwise/ky-auth';
 *
 * const api = ky.create({ ...kyAuth({ tokens }), prefix: 'https://api.example.com/v1' });
 * const members = await api.get('members').json();
 * ```
 */
export function kyAuth(options: KyAuthOptions): KyAuthDefaults {
  assertAuthOptions(options, 'kyAuth');
  if ('fetch' in options)
    throw new TypeError('kyAuth: pass fetch to ky (ky.create({ fetch })), not to kyAuth');
  const authorizer = createAuthorizer(options);
  const hidden = new WeakMap<BeforeRetryHook, BeforeRetryHook>();

  const init: InitHook = (kyOptions) => {
    if (kyOptions.context?.skipAuth === true) return;
    const call = KyCall.start(kyOptions, authorizer);
    if (authorizer.maxResends > 0 && call.replayable && call.limit === undefined)
      reserveResend(kyOptions, call, hidden, authorizer.maxResends);
  };

  // Synchronous while the manager keeps its token: ky then waits for nothing of ours.
  const beforeRequest: BeforeRequestHook = ({ request, options: kyOptions }) => {
    const call = KyCall.of(kyOptions);
    if (call === undefined || call.owner !== undefined) return;
    if (!authorizer.appliesTo(request.url, baseOf(kyOptions))) return;
    call.owner = authorizer;
    // Read by the authorizer only as it needs (see `describeRequest`).
    const described = describeRequest(request.url, request.method, request.headers);
    const authorized = authorizer.authorize(described, call.wait(request));
    if (authorized instanceof Promise)
      return authorized.then((authorization) => call.attach(request, described, authorization));
    call.attach(request, described, authorized);
  };

  const afterResponse: AfterResponseHook = async ({ request, options: kyOptions, response }) => {
    const call = KyCall.of(kyOptions);
    if (call === undefined) return;
    const answer =
      call.follower === authorizer && response.status >= 300 && response.status < 400
        ? await followRedirects(call, request, response)
        : response;
    const replaced = answer === response ? undefined : answer;
    const sent = call.sentWith;
    if (call.owner !== authorizer || !sent) return replaced; // another registration's call
    const answered = answerOf(answer);
    if (!authorizer.wantsResend(answered)) return replaced;
    // ky copied the body for a retry only when kyAuth made room for the re-send.
    const replayable = call.replayable && !request.bodyUsed && call.limit !== undefined;
    const rejection = {
      ...sent,
      answer: answered,
      resends: call.resends,
      replayable,
    };
    if (!(await onRejected(authorizer, rejection))) return replaced;
    const fresh = await authorizer.authorize(sent.request, call.wait(request));
    call.sent({ authorization: fresh, request: sent.request });
    return call.resend(request, fresh.headers);
  };

  // The error the caller gets may be logged: it shows neither the token nor the extra headers.
  const beforeError: BeforeErrorHook = ({ error, request, options: kyOptions }) => {
    if (KyCall.of(kyOptions)?.owner !== authorizer) return error;
    const names = authorizer.sensitiveHeaders();
    const sent = (error as { request?: unknown }).request;
    for (const held of new Set([request, sent]))
      if (held instanceof Request) for (const name of names) held.headers.delete(name);
    return error;
  };

  return {
    hooks: {
      init: [init],
      beforeRequest: [beforeRequest],
      afterResponse: [afterResponse],
      beforeError: [beforeError],
    },
  };
}

/** The request's base URL: ky's `prefix` when it is absolute (has a scheme), else its `baseUrl`. */
function baseOf({ prefix, baseUrl }: NormalizedOptions): string | URL {
  return (prefix && withScheme.test(prefix) ? prefix : baseUrl) ?? '';
}
const withScheme = /^[a-z][a-z\d+\-.]*:/i;

/**
 * Follows the redirect `response` (ky sent `request` with `redirect: 'manual'`) through the
 * `fetch` given to ky, without the owner's headers beyond the origin, within ky's `timeout`.
 */
async function followRedirects(
  call: KyCall,
  request: Request,
  response: Response,
): Promise<Response> {
  const deadline = call.timeout === false ? undefined : AbortSignal.timeout(call.timeout);
  const signal =
    deadline === undefined ? request.signal : AbortSignal.any([request.signal, deadline]);
  try {
    return await fetchWithRedirectGuard(
      answeredWith(response, call.fetch),
      request,
      { redirect: 'follow', signal },
      {
        sensitiveHeaders: call.owner?.sensitiveHeaders() ?? [],
        replayableBody: call.replayable && !request.bodyUsed,
        // A DPoP request's hops on its origin each carry a proof of their own.
        onHop: call.sentWith && redirectStepFor(call.sentWith.authorization),
      },
    );
  } catch (error) {
    if (deadline?.aborted && !request.signal.aborted) throw new TimeoutError(request);
    throw error;
  }
}

/** A fetch whose first call answers with `response` (already received), then sends with `fetch`. */
function answeredWith(response: Response, fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  let first: Response | undefined = response;
  return (input, init) => {
    const answer = first;
    first = undefined;
    return answer === undefined ? fetch(input, init) : Promise.resolve(answer);
  };
}
