/**
 * The typed errors tokenwise throws: one class per `code`, all below {@link TokenwiseError}.
 * `instanceof` is a brand check: it holds for errors made by another copy of the package (two
 * versions in one `node_modules`, a second bundle) and in another realm, because every tokenwise
 * error carries a registered-symbol brand and its code.
 *
 * No error ever carries a client secret, refresh token or access token: messages are built from
 * fixed text and server-supplied RFC 6749 fields only, `toJSON()` lists the error's own fields (fixed text and redacted server fields), and
 * `util.inspect()` shows the same view. Bad arguments throw `TypeError`/`RangeError` instead.
 *
 * @module
 */

import { inspectSymbol } from './internal/symbols.ts';

/** Set on every tokenwise error, by every copy of the package, in every realm. */
const brand = Symbol.for('@tokenwise/core:error');

/** Every `code` a tokenwise error can carry, each with its own class. */
export const errorCodes = [
  'ERR_TOKEN_ENDPOINT',
  'ERR_TOKEN_RESPONSE',
  'ERR_TOKEN_NETWORK',
  'ERR_TOKEN_TIMEOUT',
  'ERR_REAUTHORIZATION_REQUIRED',
  'ERR_MANAGER_CLOSED',
  'ERR_TOKEN_CHANGE_HANDLER',
  'ERR_TOKEN_REQUEST_INPUT',
] as const;

/**
 * A literal from {@link errorCodes}: which {@link TokenwiseError} subclass an error is.
 *
 * @example
 * ```ts
 * const code: ErrorCode = 'ERR_REAUTHORIZATION_REQUIRED';
 * ```
 */
export type ErrorCode = (typeof errorCodes)[number];

/** Each code's class name, spelled out: a minifier may rename the classes. */
const errorNames: Readonly<Record<ErrorCode, string>> = {
  ERR_TOKEN_ENDPOINT: 'TokenEndpointError',
  ERR_TOKEN_RESPONSE: 'TokenResponseError',
  ERR_TOKEN_NETWORK: 'TokenRequestError',
  ERR_TOKEN_TIMEOUT: 'TokenTimeoutError',
  ERR_REAUTHORIZATION_REQUIRED: 'ReauthorizationRequiredError',
  ERR_MANAGER_CLOSED: 'ManagerClosedError',
  ERR_TOKEN_CHANGE_HANDLER: 'TokenChangeHandlerError',
  ERR_TOKEN_REQUEST_INPUT: 'TokenRequestInputError',
};

/** `util.inspect` of an error: its redacted `toJSON()` view and the stack. */
function inspectError(this: TokenwiseError): string {
  const stack = this.stack?.split('\n').slice(1).join('\n') ?? '';
  return `${this.name} ${JSON.stringify(this.toJSON(), null, 2)}\n${stack}`;
}

/**
 * Base class of every error tokenwise throws; `code` says which subclass it is.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.getToken();
 * } catch (error) {
 *   if (error instanceof TokenwiseError) console.error(error.code, error.message);
 * }
 * ```
 */
export class TokenwiseError extends Error {
  /** A literal identifying the failure, stable across versions. */
  readonly code: ErrorCode;
  /** The codes this class stands for; `undefined`: all of them. */
  protected static readonly codes: readonly ErrorCode[] | undefined = undefined;

  /** True for a tokenwise error of this class (or a subclass), whichever copy made it. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || !(brand in value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about.
    const { codes } = this as typeof TokenwiseError;
    return codes === undefined || codes.includes((value as { code?: ErrorCode }).code as ErrorCode);
  }

  protected constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    // Own properties, not the prototype's: a module-level statement would keep every error class
    // in a bundle that imports none of them. Not enumerable, so `toJSON` does not list them.
    Object.defineProperties(this, {
      [brand]: { value: true },
      name: { value: errorNames[code], writable: true, configurable: true },
      // Node's `util.inspect` shows the same redacted view as `toJSON()`, plus the stack.
      [inspectSymbol]: { value: inspectError },
    });
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

/**
 * RFC 6749 §5.2 error fields, as parsed from an error body.
 *
 * @example
 * ```ts
 * const fields: OAuthErrorFields = { error: 'invalid_client', errorDescription: 'Unknown client' };
 * ```
 */
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
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @example
 * ```ts
 * if (error instanceof TokenEndpointError && error.error === 'invalid_client') rotateCredentials();
 * ```
 */
export class TokenEndpointError extends TokenwiseError implements OAuthErrorFields {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_ENDPOINT'];
  /** HTTP status of the token endpoint's answer. */
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  /** How long the server asked us to wait (`Retry-After`), in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, fields: OAuthErrorFields, retryAfterMs?: number) {
    const detail = [fields.error, fields.errorDescription].filter(Boolean).join(': ');
    super('ERR_TOKEN_ENDPOINT', `Token endpoint answered ${status}${detail && ` (${detail})`}`);
    this.status = status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The token endpoint answered 2xx, but not with a usable token: a body that is not JSON (or not
 * the configured format), no access token, an `error` field, a token that expires on arrival.
 *
 * @example
 * ```ts
 * if (error instanceof TokenResponseError) alertOps(`token endpoint sent ${error.status} without a token`);
 * ```
 */
export class TokenResponseError extends TokenwiseError implements OAuthErrorFields {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_RESPONSE'];
  /** HTTP status of the answer. */
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;

  constructor(status: number, message: string, fields: OAuthErrorFields = {}, cause?: unknown) {
    super('ERR_TOKEN_RESPONSE', message, cause);
    this.status = status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
  }
}

/**
 * The token endpoint could not be reached (DNS, connection refused or reset): no answer arrived.
 * Its `cause` is the underlying error, redacted. A {@link TokenTimeoutError} is one of these too
 * (`instanceof TokenRequestError` holds for it).
 *
 * @example
 * ```ts
 * if (error instanceof TokenRequestError) retryLater(); // a network failure or a timeout
 * ```
 */
export class TokenRequestError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = [
    'ERR_TOKEN_NETWORK',
    'ERR_TOKEN_TIMEOUT',
  ];

  constructor(message: string, cause?: unknown) {
    super('ERR_TOKEN_NETWORK', message, cause);
  }
}

/**
 * An attempt at the token endpoint took longer than `timeoutMs`, or a shared token request passed
 * its deadline unsettled and was abandoned.
 *
 * @example
 * ```ts
 * if (error instanceof TokenTimeoutError) metrics.increment('token.timeout');
 * ```
 */
export class TokenTimeoutError extends TokenwiseError {
  protected static override readonly codes: readonly ErrorCode[] = ['ERR_TOKEN_TIMEOUT'];

  constructor(message: string, cause?: unknown) {
    super('ERR_TOKEN_TIMEOUT', message, cause);
  }
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof TokenwiseError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: cause.message, ...(typeof code === 'string' && { code }) };
  }
  return String(cause);
}
