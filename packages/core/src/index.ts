/**
 * @tokenwise/core: obtain, cache and refresh access tokens for server-side API clients.
 *
 * @packageDocumentation
 */

export {
  type AuthFetch,
  type AuthFetchOptions,
  type AuthRequestInit,
  createAuthFetch,
} from './auth-fetch.ts';
export {
  type AuthOptions,
  type Authorization,
  type Authorizer,
  createAuthorizer,
  type ExtraHeaders,
} from './authorizer.ts';
export { clockOffset } from './clock-offset.ts';
export {
  ErrorCode,
  isTokenEndpointError,
  isTokenRequestError,
  isTokenResponseError,
  isTokenwiseError,
  type OAuthErrorFields,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenwiseError,
} from './errors.ts';
export {
  defaultExpiryPolicy,
  type ExpiryInput,
  type ExpiryPolicy,
  expiryWindows,
  freshnessAt,
  freshnessDeadlines,
  jwtExpiry,
  parseAbsoluteExpiry,
  parseExpiresIn,
  resolveExpiresAt,
  type TokenFreshness,
  tokenFreshness,
} from './expiry.ts';
export { type AuthorizationCodeOptions, authorizationCode } from './flows/authorization-code.ts';
export { type ClientCredentialsOptions, clientCredentials } from './flows/client-credentials.ts';
export type { Flow } from './flows/flow.ts';
export type { ClientAuth, ClientOptions, RequestOptions } from './flows/oauth-options.ts';
export { type RefreshTokenOptions, refreshToken } from './flows/refresh-token.ts';
export {
  type TokenFieldMap,
  type TokenRequestOptions,
  tokenRequest,
} from './flows/token-request.ts';
export type { BodyFormat, BodyParams } from './internal/build-request.ts';
export type { RetryPolicy } from './internal/send-token-request.ts';
export { createPkcePair, type PkcePair, pkceChallenge } from './pkce.ts';
export {
  type Answer,
  answerOf,
  createRedirectGuard,
  fetchWithRedirectGuard,
  isReplayableBody,
} from './redirect-guard.ts';
export {
  authorizationHeader,
  normalizeTokenType,
  type Token,
  type TokenInput,
  withRedactedInspect,
} from './token.ts';
export type { TokenHttpRequest, TokenHttpResponse } from './token-http.ts';
export {
  createTokenManager,
  type GetTokenOptions,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';
export { MemoryTokenStore, type TokenStore } from './token-store.ts';
