/**
 * `@tokenwise/core/adapter`: the building blocks of an adapter for an HTTP client (and of a
 * token store), for authors of third-party adapters. The axios, got and ky adapters are built
 * from these and nothing else; application code needs none of them.
 *
 * An adapter checks its options ({@link assertAuthOptions}), makes one {@link createAuthorizer}
 * per registration and, for each request: asks it whether the URL may carry the token
 * (`appliesTo`) and for the headers to send (`authorize`, within the client's timeout, see
 * {@link TokenWait}), sends, and hands a 401 to {@link onUnauthorized}: it re-sends once with
 * fresh headers when told to (never a body that {@link isReplayableBody} says cannot go again).
 * Redirects are followed by {@link fetchWithRedirectGuard} (or the client's own redirects are
 * checked with {@link dropOnCrossOriginHop}, or {@link createRedirectGuard} for a `fetch` option)
 * so that a token never reaches another origin, and {@link answerOf} tells the authorizer where
 * an answer came from. Errors the client raises show the headers the adapter set as
 * {@link redactSentHeaders} leaves them.
 *
 * @packageDocumentation
 */

export { type AuthOptions, assertAuthOptions, type ExtraHeaders } from './auth-options.ts';
export { type Authorization, type Authorizer, createAuthorizer } from './authorizer.ts';
export {
  type Answer,
  answerOf,
  createRedirectGuard,
  dropOnCrossOriginHop,
  fetchWithRedirectGuard,
  isReplayableBody,
  type RedirectGuardOptions,
} from './redirect-guard.ts';
export { redactedHeaderValue, redactSentHeaders } from './sent-headers.ts';
export { withRedactedInspect } from './token.ts';
export type { TokenWait } from './token-wait.ts';
export { onUnauthorized, type Unauthorized } from './unauthorized.ts';
