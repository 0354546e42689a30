/**
 * The grants the token endpoint implements: client credentials (RFC 6749 §4.4), authorization
 * code with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.6) and refresh token with optional rotation and
 * reuse detection (RFC 6749 §6, RFC 9700 §4.14.2).
 *
 * @module
 */
import type { AuthorizationCodes } from './authorize.ts';
import { sha256Base64url } from './internal/base64url.ts';
import { failure, type TokenOutcome } from './internal/responses.ts';
import { clientScope, grantScope } from './internal/scope.ts';
import type { Client, GrantType, ResolvedOptions } from './options.ts';
import type { Grant, TokenRegistry } from './tokens.ts';

/** What the grants read and change. */
export interface GrantContext {
  readonly options: ResolvedOptions;
  readonly tokens: TokenRegistry;
  readonly codes: AuthorizationCodes;
}

/** The grant types the mock implements. */
export const grantTypes: readonly GrantType[] = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
];

const verifierSyntax = /^[A-Za-z0-9\-._~]{43,128}$/;

const invalidGrant = (description: string) => failure(400, 'invalid_grant', description);

/** An RFC 6749 §5.1 success body. */
async function issue(
  context: GrantContext,
  grant: Grant,
  refreshToken: string | undefined,
): Promise<TokenOutcome> {
  const body: Record<string, string | number> = {
    access_token: await context.tokens.issueAccessToken(grant),
    token_type: 'Bearer',
    expires_in: context.options.accessTokenTtl,
  };
  if (grant.scope.length > 0) body.scope = grant.scope.join(' ');
  if (refreshToken !== undefined) body.refresh_token = refreshToken;
  return { ok: true, body };
}

/** RFC 6749 §4.4: confidential clients only; no refresh token (§4.4.3). */
async function clientCredentials(
  context: GrantContext,
  client: Client,
  params: ReadonlyMap<string, string>,
): Promise<TokenOutcome> {
  if (client.secret === undefined)
    return failure(400, 'unauthorized_client', 'Public clients may not use client_credentials');
  const scope = clientScope(client, params.get('scope'));
  if (scope === undefined)
    return failure(400, 'invalid_scope', 'The requested scope is not allowed');
  const grant = { clientId: client.id, subject: client.id, scope, family: crypto.randomUUID() };
  return issue(context, grant, undefined);
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.6: a code is single-use and bound to client, URI and verifier. */
async function authorizationCode(
  context: GrantContext,
  client: Client,
  params: ReadonlyMap<string, string>,
): Promise<TokenOutcome> {
  const code = params.get('code');
  const redirectUri = params.get('redirect_uri');
  const verifier = params.get('code_verifier');
  if (code === undefined) return failure(400, 'invalid_request', 'Missing code');
  if (redirectUri === undefined) return failure(400, 'invalid_request', 'Missing redirect_uri');
  const record = context.codes.find(code);
  if (record === undefined || record.clientId !== client.id)
    return invalidGrant('Unknown authorization code');
  if (record.used) {
    // RFC 6749 §4.1.2: a replayed code SHOULD revoke the tokens issued from it.
    context.tokens.revokeFamily(record.family);
    return invalidGrant('The authorization code was already used');
  }
  if (context.tokens.isExpired(record)) return invalidGrant('The authorization code expired');
  if (record.redirectUri !== redirectUri)
    return invalidGrant('redirect_uri differs from the authorization request');
  if (record.codeChallenge === undefined) {
    if (verifier !== undefined) return invalidGrant('code_verifier without a code_challenge');
  } else if (verifier === undefined || !verifierSyntax.test(verifier)) {
    return invalidGrant('Missing or malformed code_verifier');
  } else if ((await sha256Base64url(verifier)) !== record.codeChallenge) {
    return invalidGrant('code_verifier does not match the code_challenge');
  }
  record.used = true;
  const grant = {
    clientId: client.id,
    subject: record.subject,
    scope: record.scope,
    family: record.family,
  };
  const refresh = client.grantTypes.has('refresh_token')
    ? context.tokens.issueRefreshToken(grant)
    : undefined;
  return issue(context, grant, refresh);
}

/** RFC 6749 §6, with rotation and reuse detection (RFC 9700 §4.14.2) when configured. */
async function refreshToken(
  context: GrantContext,
  client: Client,
  params: ReadonlyMap<string, string>,
): Promise<TokenOutcome> {
  const value = params.get('refresh_token');
  if (value === undefined) return failure(400, 'invalid_request', 'Missing refresh_token');
  const record = context.tokens.findRefreshToken(value);
  if (record === undefined || record.grant.clientId !== client.id)
    return invalidGrant('Unknown refresh token');
  if (record.rotated) {
    if (context.options.revokeFamilyOnReuse) context.tokens.revokeFamily(record.grant.family);
    return invalidGrant('The refresh token was already used (rotated)');
  }
  if (record.revoked) return invalidGrant('The refresh token was revoked');
  if (context.tokens.isExpired(record)) return invalidGrant('The refresh token expired');
  const requested = params.get('scope');
  const scope =
    requested === undefined
      ? [...record.grant.scope]
      : grantScope(requested, new Set(record.grant.scope));
  if (scope === undefined)
    return failure(400, 'invalid_scope', 'The requested scope exceeds the original grant');
  let next = value;
  if (context.options.rotateRefreshTokens) {
    record.rotated = true;
    next = context.tokens.issueRefreshToken(record.grant);
  }
  return issue(context, { ...record.grant, scope }, next);
}

const handlers = {
  client_credentials: clientCredentials,
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
} as const;

/**
 * Runs one grant for an authenticated client: `unsupported_grant_type` for grant types the mock
 * does not implement, `unauthorized_client` for those the client is not registered for.
 *
 * @example
 * ```ts
 * const outcome = await runGrant(context, 'client_credentials', client, params);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function runGrant(
  context: GrantContext,
  grantType: string,
  client: Client,
  params: ReadonlyMap<string, string>,
): Promise<TokenOutcome> | TokenOutcome {
  if (!(grantTypes as readonly string[]).includes(grantType))
    return failure(400, 'unsupported_grant_type', `Unsupported grant_type ${grantType}`);
  if (!client.grantTypes.has(grantType as GrantType))
    return failure(400, 'unauthorized_client', `The client may not use ${grantType}`);
  return handlers[grantType as GrantType](context, client, params);
}
