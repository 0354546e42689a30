/**
 * The error of a token that cannot be sent in an `Authorization` header.
 *
 * @module
 */
import { type ErrorCode, TokenwiseError } from './errors.ts';

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
