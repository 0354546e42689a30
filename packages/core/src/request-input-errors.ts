/**
 * The errors of what a token request is made of and what its token can be used for: an input
 * function that failed, a token that cannot be sent. Each is a {@link TokenwiseError} with its own
 * `code`.
 *
 * @module
 */
import { type ErrorCode, nameErrorClass, TokenwiseError } from './errors.ts';

/**
 * A function that supplies part of a token request (`clientAssertion`, `subjectToken`,
 * `actorToken`, `assertion`) threw or returned something other than a non-empty string: no
 * request was sent. `option` names the function; `cause` is its error, redacted.
 *
 * @example
 * ```ts
 * if (error instanceof TokenRequestInputError) log.error(`${error.option} failed`, error.cause);
 * ```
 */
export class TokenRequestInputError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_REQUEST_INPUT'];
  /** The option whose function failed, e.g. `clientCredentials: clientAssertion`. */
  readonly option: string;

  constructor(option: string, problem: string, cause?: unknown) {
    super('ERR_TOKEN_REQUEST_INPUT', `${option} ${problem}; no token request was sent`, cause);
    this.option = option;
  }
}

/**
 * The token cannot be sent in an `Authorization` header: token exchange answered `token_type`
 * `N_A` (RFC 8693 §2.2.1, the issued token is not an access token). `getToken()` returns such a
 * token; the adapters refuse to send it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2.1
 * @example
 * ```ts
 * if (error instanceof TokenNotSendableError) console.error(error.tokenType); // 'N_A'
 * ```
 */
export class TokenNotSendableError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_NOT_SENDABLE'];
  /** The token's type, as the server named it. */
  readonly tokenType: string;

  constructor(tokenType: string) {
    super(
      'ERR_TOKEN_NOT_SENDABLE',
      `A token of type "${tokenType}" is not an access token and cannot be sent in an Authorization header (RFC 8693 §2.2.1)`,
    );
    this.tokenType = tokenType;
  }
}

// Spelled out: a minifier may rename the classes.
nameErrorClass(TokenRequestInputError, 'TokenRequestInputError');
nameErrorClass(TokenNotSendableError, 'TokenNotSendableError');
