/**
 * The authorization endpoint, auto-approved: authorization codes bound to client, redirect URI,
 * scope and PKCE challenge (RFC 6749 §4.1, RFC 7636).
 *
 * @module
 */
import type { Clock } from './clock.ts';
import { randomToken } from './internal/base64url.ts';
import { newOpaqueValue } from './internal/opaque-values.ts';
import { jsonResponse } from './internal/responses.ts';
import { clientScope } from './internal/scope.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * What `oauth.authorize()` needs: the parameters of an authorization request (RFC 6749 §4.1.1)
 * whose user approves at once.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await createPkcePair(); // from @tokenwise/core
 * const code = await oauth.authorize({ clientId: 'app', redirectUri: 'https://app.test/cb', codeChallenge });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export interface AuthorizeParams {
  readonly clientId: string;
  readonly redirectUri: string | URL;
  /** The S256 challenge of the client's code verifier; required unless `requirePkce: false`. */
  readonly codeChallenge?: string | undefined;
  /** Only `S256` is accepted (`plain` is refused, as RFC 9700 §2.1.1 advises). @default 'S256' */
  readonly codeChallengeMethod?: 'S256' | undefined;
  /** Requested scope. @default the client's registered scope, or none */
  readonly scope?: string | readonly string[] | undefined;
  /** The resource owner the tokens will be issued for (`sub`). @default 'user' */
  readonly subject?: string | undefined;
}

/** An issued authorization code's server-side record. */
export interface AuthorizationCodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly scope: readonly string[];
  readonly subject: string;
  readonly expiresAt: number;
  readonly family: string;
  used: boolean;
}

/** A refused authorization request: the RFC 6749 §4.1.2.1 error and the parameter at fault. */
interface Refusal {
  readonly error:
    | 'invalid_request'
    | 'invalid_scope'
    | 'unauthorized_client'
    | 'unsupported_response_type';
  readonly param: string;
  readonly description: string;
  /** Whether the error may go back to the redirect URI (client and redirect URI are valid). */
  readonly redirect: boolean;
}

const challengeSyntax = /^[A-Za-z0-9_-]{43}$/;

function refusal(
  error: Refusal['error'],
  param: string,
  description: string,
  redirect = true,
): Refusal {
  return { error, param, description, redirect };
}

/** Issues and finds authorization codes. */
export class AuthorizationCodes {
  readonly #options: ResolvedOptions;
  readonly #clock: Clock;
  readonly #codes = new Map<string, AuthorizationCodeRecord>();

  constructor(options: ResolvedOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
  }

  /** Why an authorization request's client or redirect URI is refused (never redirected). */
  #checkTarget(clientId: string, redirectUri: string): Refusal | undefined {
    const client = this.#options.clients.get(clientId);
    if (client === undefined)
      return refusal('invalid_request', 'clientId', 'unknown client', false);
    if (!URL.canParse(redirectUri) || new URL(redirectUri).hash !== '')
      return refusal(
        'invalid_request',
        'redirectUri',
        'must be an absolute URI without fragment',
        false,
      );
    if (client.redirectUris !== undefined && !client.redirectUris.includes(redirectUri))
      return refusal('invalid_request', 'redirectUri', 'is not registered for this client', false);
    return undefined;
  }

  /** Issues a code for `params`, or says why the request is refused. */
  issue(params: AuthorizeParams): string | Refusal {
    const redirectUri = String(params.redirectUri);
    const targetRefusal = this.#checkTarget(params.clientId, redirectUri);
    if (targetRefusal !== undefined) return targetRefusal;
    const client = this.#options.clients.get(params.clientId)!;
    if (!client.grantTypes.has('authorization_code'))
      return refusal('unauthorized_client', 'clientId', 'may not use the authorization code grant');
    const { codeChallenge, codeChallengeMethod = 'S256', subject = 'user' } = params;
    if (codeChallengeMethod !== 'S256')
      return refusal('invalid_request', 'codeChallengeMethod', "must be 'S256'");
    if (codeChallenge === undefined && this.#options.requirePkce)
      return refusal('invalid_request', 'codeChallenge', 'is required (PKCE)');
    if (codeChallenge !== undefined && !challengeSyntax.test(codeChallenge))
      return refusal(
        'invalid_request',
        'codeChallenge',
        'must be a base64url SHA-256 (43 characters)',
      );
    const scope = clientScope(client, params.scope);
    if (scope === undefined) return refusal('invalid_scope', 'scope', 'is invalid or not allowed');
    if (typeof subject !== 'string' || subject === '')
      return refusal('invalid_request', 'subject', 'must be a non-empty string', false);
    const code = newOpaqueValue(this.#options, 'code', (name) => this.#codes.has(name));
    this.#codes.set(code, {
      clientId: client.id,
      redirectUri,
      codeChallenge,
      scope,
      subject,
      expiresAt: this.#clock.now() + this.#options.authorizationCodeTtl * 1000,
      family: randomToken(8),
      used: false,
    });
    return code;
  }

  /** `oauth.authorize()`: a code, or a `TypeError` naming the parameter at fault. */
  async authorize(params: AuthorizeParams): Promise<string> {
    if (typeof params !== 'object' || params === null)
      throw new TypeError('authorize: params must be an object');
    const result = this.issue(params);
    if (typeof result !== 'string')
      throw new TypeError(`authorize: ${result.param} ${result.description} (${result.error})`);
    return result;
  }

  /** `GET /authorize`: a 302 to the redirect URI with `code` (or `error`), `state` and `iss`. */
  handle(request: Request): Response {
    const query = new URL(request.url).searchParams;
    const get = (name: string) => query.get(name) ?? undefined;
    const redirectUri = get('redirect_uri') ?? '';
    const result =
      get('response_type') === 'code'
        ? this.issue({
            clientId: get('client_id') ?? '',
            redirectUri,
            codeChallenge: get('code_challenge'),
            codeChallengeMethod: get('code_challenge_method') as 'S256' | undefined,
            scope: get('scope'),
          })
        : (this.#checkTarget(get('client_id') ?? '', redirectUri) ??
          refusal('unsupported_response_type', 'response_type', "must be 'code'"));
    if (typeof result !== 'string' && !result.redirect) {
      const body = {
        error: result.error,
        error_description: `${result.param} ${result.description}`,
      };
      return jsonResponse(this.#clock, 400, body);
    }
    const location = new URL(redirectUri);
    if (typeof result === 'string') location.searchParams.set('code', result);
    else location.searchParams.set('error', result.error);
    const state = get('state');
    if (state !== undefined) location.searchParams.set('state', state);
    location.searchParams.set('iss', this.#options.issuer);
    return new Response(null, {
      status: 302,
      headers: { Location: location.href, Date: new Date(this.#clock.now()).toUTCString() },
    });
  }

  /** The record of an issued code. */
  find(code: string): AuthorizationCodeRecord | undefined {
    return this.#codes.get(code);
  }

  /** Forgets every code. */
  clear(): void {
    this.#codes.clear();
  }
}
