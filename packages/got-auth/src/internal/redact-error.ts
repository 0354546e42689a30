/**
 * Hides the headers a gotAuth registration set in a got error about to reach the caller, so that
 * logging it shows no token.
 */
import { redactedHeaderValue, redactSentHeaders } from '@tokenwise/core/adapter';
import { authHeaderNames } from './auth-headers.ts';
import { type HookOptions, sentWith } from './request-state.ts';

/** The parts of got's `RequestError` that hold the headers sent. */
interface ErrorParts {
  readonly options: HookOptions;
  readonly request: { readonly options?: HookOptions } | undefined;
  readonly response: { readonly request?: { readonly options?: HookOptions } } | undefined;
}

/**
 * Replaces the headers set for the request (`Authorization`, the extra headers) in its options
 * (`error.options`; the request's and the response's are the same objects), in the options got
 * passed to Node (got 16 keeps them) and in the `ClientRequest` that was sent. Re-sending with
 * `error.options` works: the hook sets them anew.
 */
export function redact(gotError: Error): void {
  const error = gotError as Partial<ErrorParts>;
  const all = [error.options, error.request?.options, error.response?.request?.options];
  for (const options of new Set(all)) {
    const auth = options === undefined ? undefined : sentWith(options)?.auth;
    if (options === undefined || auth === undefined) continue;
    const names = authHeaderNames(auth);
    for (const name of names)
      if (name in options.headers) options.headers[name] = redactedHeaderValue;
    redactSentHeaders(error.request, names); // got's request, and the ClientRequest it sent
  }
}
