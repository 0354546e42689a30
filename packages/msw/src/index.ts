/**
 * @tokenwise/msw: a strict mock OAuth 2.0 authorization server for msw, to test code that
 * obtains, renews and sends access tokens without a real token server.
 *
 * @packageDocumentation
 */

export type { AuthorizeParams } from './authorize.ts';
export type { ClientAuthMethod } from './client-auth.ts';
export type { Clock } from './clock.ts';
export type { InjectedFailure } from './failures.ts';
export type { JsonWebKeySet, PublicJwk, SigningAlgorithm } from './jwks.ts';
export type { MockOAuthEndpoints } from './metadata.ts';
export { type MockOAuthServer, mockOAuthServer } from './mock-oauth-server.ts';
export type {
  ClientConfig,
  GrantType,
  MockOAuthServerOptions,
  OpaqueTokenKind,
} from './options.ts';
export type { Protect, ProtectedResolverInfo, ProtectOptions } from './protect.ts';
export type { TokenRequestRecord } from './token-endpoint.ts';
export type { AccessTokenClaims } from './tokens.ts';
