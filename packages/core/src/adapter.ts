/**
 * `@tokenwise/core/adapter`: the building blocks of an adapter for an HTTP client (and of a
 * token store), for authors of third-party adapters. The axios, got and ky adapters are built
 * from these and nothing else; application code needs none of them.
 *
 * An adapter checks its options ({@link assertAuthOptions}), makes one {@link createAuthorizer}
 * per registration and, for each request: asks it whether the URL may carry the token
 * (`appliesTo`) and for the headers to send (`authorize`, given the request as
 * {@link describeRequest} makes it from what the client holds, which reads nothing until the
 * authorizer asks, within the client's timeout, see {@link TokenWait}; the authorization itself
 * when the token is at hand, else a promise of it), sends,
 * and asks `wantsResend` of every answer; for those it wants re-sent, {@link onRejected} says
 * whether to re-send (authorized anew), counting the call's re-sends in a {@link ResendBudget}
 * (never a body that {@link isReplayableBody} says cannot go again), the body of the answer it
 * re-sends let go of ({@link discardBody}).
 * Redirects are followed by {@link fetchWithRedirectGuard} (or the client's own redirects are
 * checked with {@link dropOnCrossOriginHop}, or {@link createRedirectGuard} for a `fetch` option)
 * so that a token never reaches another origin, and {@link answerOf} tells the authorizer where
 * an answer came from ({@link answerFrom} for a client whose answers are a status and a header
 * record). Errors the client raises show the headers the adapter set as
 * {@link redactSentHeaders} leaves them. With a DPoP manager ({@link usesDpop}), `authorize`
 * makes a proof for the request's method and full URL, and the authorizer's `maxResends` says how
 * many re-sends a call may need (a nonce challenge has its own); each redirect hop that keeps the
 * token needs a proof of its own: {@link redirectStepFor} makes it (the guard's `onHop`), and
 * for a client whose redirects the adapter follows itself, {@link RedirectTrail} decides every
 * hop of one request (its URL, method, body and headers) or where the request ends
 * ({@link TrailStep}: the adapter throws its client's error). An integration that
 * subscribes to every `tokenwise:<type>` diagnostics channel (logging, tracing) lists them with
 * {@link tokenEventTypes}.
 *
 * @packageDocumentation
 */

export { type AuthOptions, assertAuthOptions, type ExtraHeaders } from './auth-options.ts';
export {
  type AuthRequest,
  describeRequest,
  type HeadersSource,
  headersOf,
} from './auth-request.ts';
export type { Authorization } from './authorization.ts';
export { type Authorizer, createAuthorizer } from './authorizer.ts';
export { answerFrom } from './client-answer.ts';
export { discardBody } from './discard-body.ts';
export { usesDpop } from './dpop/dpop-registry.ts';
export { redirectStepFor } from './dpop/redirect-proofs.ts';
export { tokenEventTypes } from './events/token-event.ts';
export { lowerCaseHeaders } from './lower-case-headers.ts';
export { type AnsweredRequest, isTokenRejection, type ReauthorizeOn } from './reauthorize-on.ts';
export {
  type Answer,
  answerOf,
  createRedirectGuard,
  fetchWithRedirectGuard,
  type RedirectGuardOptions,
} from './redirect-guard.ts';
export { dropOnCrossOriginHop, type RedirectHop, type RedirectStep } from './redirect-hop.ts';
export {
  RedirectTrail,
  type RedirectTrailStart,
  type TrailAnswer,
  type TrailDone,
  type TrailHop,
  type TrailInvalidLocation,
  type TrailStep,
  type TrailTooMany,
} from './redirect-trail.ts';
export { onRejected, type Rejection, ResendBudget } from './rejection.ts';
export { isReplayableBody } from './replayable-body.ts';
export { redactedHeaderValue, redactSentHeaders } from './sent-headers.ts';
export { withRedactedInspect } from './token.ts';
export type { TokenWait } from './token-wait.ts';
export type { TokensChoice, TokensRequest } from './tokens-choice.ts';
export { type AuthChallenge, challengeParam, parseWwwAuthenticate } from './www-authenticate.ts';
