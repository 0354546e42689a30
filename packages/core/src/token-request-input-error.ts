/**
 * The error of a token request input function that failed.
 *
 * @module
 */
import { type ErrorCode, TokenwiseError } from './errors.ts';

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
