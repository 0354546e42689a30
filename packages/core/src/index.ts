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
export type { ClientAssertionOptions } from './flows/client-auth-options.ts';
export { type ClientCredentialsOptions, clientCredentials } from './flows/client-credentials.ts';
export type { Flow } from './flows/flow.ts';
export { type JwtBearerOptions, jwtBearer } from './flows/jwt-bearer.ts';
export type { ClientAuth, ClientOptions, RequestOptions } from './flows/oauth-options.ts';
export type {
  AsymmetricSigningAlgorithm,
  CryptoKeyLike,
  PrivateJwk,
  PrivateKeyInput,
} from './flows/private-key-option.ts';
export { type RefreshTokenOptions, refreshToken } from './flows/refresh-token.ts';
export type { RequestInput } from './flows/request-input.ts';
export { type TokenExchangeOptions, tokenExchange } from './flows/token-exchange.ts';
export {
  type TokenFieldMap,
  type TokenRequestOptions,
  tokenRequest,
} from './flows/token-request.ts';
export type { BasicEncoding, BodyFormat, BodyParams } from './internal/build-request.ts';
export type { RetryPolicy } from './internal/send-token-request.ts';
export {
  ManagerClosedError,
  ReauthorizationRequiredError,
  TokenChangeHandlerError,
} from './manager-errors.ts';
export { createPkcePair, type PkcePair } from './pkce.ts';
export type { AnsweredRequest, ReauthorizeOn } from './reauthorize-on.ts';
export type { AttemptContext, RequestStep } from './request-step.ts';
export type { Token, TokenInput } from './token.ts';
export type { TokenHttpRequest, TokenHttpResponse } from './token-http.ts';
export {
  createTokenManager,
  type DpopKeyPair,
  type GetTokenOptions,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.ts';
export type { TokenParameters } from './token-parameters.ts';
export {
  createTokenRegistry,
  type TokenRegistry,
  type TokenRegistryOptions,
} from './token-registry.ts';
export { TokenRequestInputError } from './token-request-input-error.ts';
export { MemoryTokenStore, type TokenStore } from './token-store.ts';
export type { TokensChoice, TokensRequest } from './tokens-choice.ts';
