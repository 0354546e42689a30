/**
 * `@tokenwise/core/adapter`: the building blocks of an adapter for an HTTP client (and of a
 * token store), for authors of third-party adapters. The axios, got and ky adapters are built
 * from these and nothing else; application code needs none of them.
 *
 * An adapter registers one {@link createAuthorizer} per client instance and, for each request:
 * asks it for the headers to send (`authorize`), sends, and hands a 401 to `shouldRetry`;
 * it re-sends once with fresh headers when told to, and only a body {@link isReplayableBody}
 * says can be sent again. Redirects are followed by {@link fetchWithRedirectGuard} (or the
 * client's own redirects checked with {@link createRedirectGuard}) so that a token never reaches
 * another origin, and {@link answerOf} tells the authorizer where an answer came from. Errors
 * the client raises show the headers the adapter set as {@link redactSentHeaders} leaves them.
 *
 * @packageDocumentation
 */

export {
  type AuthOptions,
  type Authorization,
  type Authorizer,
  createAuthorizer,
  type ExtraHeaders,
} from './authorizer.ts';
export {
  type Answer,
  answerOf,
  createRedirectGuard,
  fetchWithRedirectGuard,
  isReplayableBody,
} from './redirect-guard.ts';
export { redactedHeaderValue, redactSentHeaders } from './sent-headers.ts';
export { withRedactedInspect } from './token.ts';
