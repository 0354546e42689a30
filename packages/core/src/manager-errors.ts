/**
 * The errors of a token manager's own state: re-authorization needed, closed, a failed
 * `onTokenChange` handler. Each is a {@link TokenwiseError} with its own `code`.
 *
 * @module
 */
import {
  type ErrorCode,
  nameErrorClass,
  type OAuthErrorFields,
  type TokenEndpointError,
  TokenwiseError,
} from './errors.ts';

/**
 * No token can be obtained without the user: the refresh token was rejected (`invalid_grant`;
 * it has been cleared, and `status` and the RFC 6749 fields are the server's), or there is none
 * and the authorization code was already used.
 *
 * @example
 * ```ts
 * if (error instanceof ReauthorizationRequiredError) redirectToLogin();
 * ```
 */
export class ReauthorizationRequiredError extends TokenwiseError implements OAuthErrorFields {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_REAUTHORIZATION_REQUIRED'];
  /** HTTP status of the answer that rejected the refresh token, if one did. */
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;

  constructor(rejection?: TokenEndpointError) {
    super(
      'ERR_REAUTHORIZATION_REQUIRED',
      rejection
        ? `${rejection.message}; the refresh token was rejected and cleared, re-authorization is required`
        : 'No refresh token is available and the authorization code was already used: re-authorization is required',
      rejection,
    );
    this.status = rejection?.status;
    this.error = rejection?.error;
    this.errorDescription = rejection?.errorDescription;
    this.errorUri = rejection?.errorUri;
  }
}

/**
 * The manager was closed: it no longer obtains tokens. A closed token registry throws it too, from
 * `get`.
 *
 * @example
 * ```ts
 * await tokens.close();
 * await tokens.getToken().catch((error) => error instanceof ManagerClosedError); // true
 * ```
 */
export class ManagerClosedError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_MANAGER_CLOSED'];

  constructor(message = 'The token manager is closed') {
    super('ERR_MANAGER_CLOSED', message);
  }
}

/**
 * `onTokenChange` threw: the new token is cached but the handler did not persist it. `cause` is
 * the handler's error, with the tokens redacted.
 *
 * @example
 * ```ts
 * if (error instanceof TokenChangeHandlerError) logger.error(error.cause);
 * ```
 */
export class TokenChangeHandlerError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_CHANGE_HANDLER'];

  constructor(cause: unknown) {
    super(
      'ERR_TOKEN_CHANGE_HANDLER',
      'onTokenChange failed; the new token is cached but was not persisted by the handler',
      cause,
    );
  }
}

// Spelled out: a minifier may rename the classes.
nameErrorClass(ReauthorizationRequiredError, 'ReauthorizationRequiredError');
nameErrorClass(ManagerClosedError, 'ManagerClosedError');
nameErrorClass(TokenChangeHandlerError, 'TokenChangeHandlerError');
