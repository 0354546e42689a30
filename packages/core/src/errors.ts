/**
 * The typed errors tokenwise throws. Every error is a {@link TokenwiseError} with a literal
 * `code`; the guards compare `name` as well as the prototype so they work across realms and
 * across duplicate copies of the package.
 *
 * No error ever carries a client secret, refresh token or access token: messages are built from
 * fixed text and server-supplied RFC 6749 fields only, `toJSON()` lists known-safe fields, and
 * `util.inspect()` shows the same view.
 *
 * @module
 */

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Every `code` a tokenwise error can carry. */
export const ErrorCode = {
  /** The token endpoint answered with an HTTP error status. */
  TokenEndpoint: 'ERR_TOKEN_ENDPOINT',
  /** The refresh token was rejected (`invalid_grant`): the user must authorize again. */
  ReauthorizationRequired: 'ERR_REAUTHORIZATION_REQUIRED',
  /** The token endpoint answered 2xx, but not with a usable token. */
  TokenResponse: 'ERR_TOKEN_RESPONSE',
  /** The token endpoint could not be reached (DNS, connection refused, reset). */
  Network: 'ERR_TOKEN_NETWORK',
  /** One attempt at the token endpoint took longer than `timeoutMs`. */
  Timeout: 'ERR_TOKEN_TIMEOUT',
  /** The manager was closed; it no longer obtains tokens. */
  Closed: 'ERR_MANAGER_CLOSED',
  /** `onTokenChange` threw; the new token is cached but its persistence failed. */
  TokenChangeHandler: 'ERR_TOKEN_CHANGE_HANDLER',
} as const;

/** A literal from {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base class of every error tokenwise throws (argument validation throws `TypeError`/`RangeError`).
 *
 * @example
 * ```ts
 * try {
 *   await tokens.getToken();
 * } catch (error) {
 *   if (isTokenwiseError(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class TokenwiseError extends Error {
  /** A literal identifying the failure, stable across versions. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenwiseError';
    this.code = code;
  }

  /** The safe, serialisable view of this error: never contains a secret or token. */
  toJSON(): Record<string, unknown> {
    const view: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'code' && value !== undefined) view[key] = value;
    }
    if (this.cause !== undefined) view.cause = describeCause(this.cause);
    return view;
  }
}

// Node's `util.inspect` shows the same redacted view as `toJSON()`, plus the stack.
Object.defineProperty(TokenwiseError.prototype, inspectSymbol, {
  enumerable: false,
  value(this: TokenwiseError): string {
    return `${this.name} ${JSON.stringify(this.toJSON(), null, 2)}\n${this.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  },
});

/** RFC 6749 §5.2 error fields, as parsed from an error body. */
export interface OAuthErrorFields {
  /** The RFC 6749 `error` code (`invalid_client`, `invalid_grant`, …) or a vendor's error string. */
  readonly error?: string | undefined;
  /** Human-readable `error_description`. */
  readonly errorDescription?: string | undefined;
  /** `error_uri`: a page describing the error. */
  readonly errorUri?: string | undefined;
}

/**
 * The token endpoint answered with an HTTP error status (after any retries). The RFC 6749 fields
 * are parsed from JSON or form bodies; other bodies (HTML, empty) leave them undefined.
 *
 * `code` is `ERR_REAUTHORIZATION_REQUIRED` when a refresh token was rejected with `invalid_grant`:
 * the stored refresh token has been cleared and the user must authorize again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @example
 * ```ts
 * catch (error) {
 *   if (isTokenEndpointError(error) && error.error === 'invalid_client') rotateCredentials();
 * }
 * ```
 */
export class TokenEndpointError extends TokenwiseError implements OAuthErrorFields {
  /** HTTP status of the token endpoint's answer. */
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  /** How long the server asked us to wait (`Retry-After`), in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    status: number,
    fields: OAuthErrorFields,
    options?: {
      cause?: unknown;
      reauthorizationRequired?: boolean;
      retryAfterMs?: number | undefined;
    },
  ) {
    const reauth = options?.reauthorizationRequired === true;
    const detail = [fields.error, fields.errorDescription].filter(Boolean).join(': ');
    super(
      reauth ? ErrorCode.ReauthorizationRequired : ErrorCode.TokenEndpoint,
      `Token endpoint answered ${status}${detail ? ` (${detail})` : ''}${
        reauth ? '; the refresh token was rejected and cleared, re-authorization is required' : ''
      }`,
      options,
    );
    this.name = 'TokenEndpointError';
    this.status = status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * The token endpoint answered with a success status, but the answer is not a usable token:
 * not JSON, HTML, over the 1 MiB cap, missing `access_token`, an `error` inside a 200, or an
 * expiry that is not a valid number or date.
 *
 * @example
 * ```ts
 * if (isTokenResponseError(error)) console.error('vendor sent a malformed token:', error.message);
 * ```
 */
export class TokenResponseError extends TokenwiseError implements OAuthErrorFields {
  /** HTTP status of the answer. */
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;

  constructor(
    status: number,
    message: string,
    options?: { cause?: unknown; fields?: OAuthErrorFields },
  ) {
    super(ErrorCode.TokenResponse, message, options);
    this.name = 'TokenResponseError';
    this.status = status;
    this.error = options?.fields?.error;
    this.errorDescription = options?.fields?.errorDescription;
    this.errorUri = options?.fields?.errorUri;
  }
}

/**
 * The token endpoint could not be reached, or an attempt timed out (`code` `ERR_TOKEN_TIMEOUT`).
 * `cause` holds the runtime's own error; `toJSON()` and `util.inspect()` show only its name,
 * message and code.
 *
 * @example
 * ```ts
 * if (isTokenRequestError(error) && error.code === 'ERR_TOKEN_TIMEOUT') metrics.increment('auth.timeout');
 * ```
 */
export class TokenRequestError extends TokenwiseError {
  constructor(
    code: typeof ErrorCode.Network | typeof ErrorCode.Timeout,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'TokenRequestError';
  }
}

function isNamed<T>(
  error: unknown,
  ctor: abstract new (...args: never[]) => T,
  ...names: string[]
): error is T {
  return error instanceof ctor || (isError(error) && names.includes(error.name));
}

/** `instanceof Error` fails for an error from another realm (`vm`, a worker's structured clone). */
function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

/**
 * Whether `error` is any tokenwise error.
 *
 * @example
 * ```ts
 * if (isTokenwiseError(error)) log.warn({ code: error.code }, error.message);
 * ```
 */
export function isTokenwiseError(error: unknown): error is TokenwiseError {
  return isNamed(
    error,
    TokenwiseError,
    'TokenwiseError',
    'TokenEndpointError',
    'TokenResponseError',
    'TokenRequestError',
  );
}

/**
 * Whether `error` is a {@link TokenEndpointError}.
 *
 * @example
 * ```ts
 * if (isTokenEndpointError(error) && error.status === 401) alertOps('token credentials rejected');
 * ```
 */
export function isTokenEndpointError(error: unknown): error is TokenEndpointError {
  return isNamed(error, TokenEndpointError, 'TokenEndpointError');
}

/**
 * Whether `error` is a {@link TokenResponseError}.
 *
 * @example
 * ```ts
 * if (isTokenResponseError(error)) console.error(error.status, error.message);
 * ```
 */
export function isTokenResponseError(error: unknown): error is TokenResponseError {
  return isNamed(error, TokenResponseError, 'TokenResponseError');
}

/**
 * Whether `error` is a {@link TokenRequestError} (network failure or timeout).
 *
 * @example
 * ```ts
 * if (isTokenRequestError(error)) retryLater();
 * ```
 */
export function isTokenRequestError(error: unknown): error is TokenRequestError {
  return isNamed(error, TokenRequestError, 'TokenRequestError');
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof TokenwiseError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      message: cause.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return String(cause);
}
