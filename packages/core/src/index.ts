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
export type { AuthOptions, ExtraHeaders } from './auth-options.ts';
export {
  type ErrorCode,
  type OAuthErrorFields,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  TokenwiseError,
} from './errors.ts';
export type {
  ErrorSummary,
  ReauthorizationEvent,
  RefreshTokenRotatedEvent,
  StoreErrorEvent,
  TokenBackoffEvent,
  TokenCacheHitEvent,
  TokenCacheMissEvent,
  TokenEvent,
  TokenEventBase,
  TokenFailedEvent,
  TokenInvalidatedEvent,
  TokenObtainedEvent,
  TokenRefreshAheadEvent,
  TokenRequestedEvent,
  TokenRequestReason,
} from './events/token-event.ts';
export type { TokenRequestTrace } from './events/token-request-trace.ts';
export type { ExpiryPolicy } from './expiry.ts';
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
export {
  ManagerClosedError,
  ReauthorizationRequiredError,
  TokenChangeHandlerError,
} from './manager-errors.ts';
export { createPkcePair, type PkcePair } from './pkce.ts';
export type { Token, TokenInput } from './token.ts';
export type { TokenHttpRequest, TokenHttpResponse } from './token-http.ts';
export {
  createTokenManager,
  type GetTokenOptions,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';
export { MemoryTokenStore, type TokenStore } from './token-store.ts';
