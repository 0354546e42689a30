/**
 * The one redaction mechanism: a {@link Redactor} built once per token exchange from the request
 * (then extended with the answer's tokens) hides every secret, in every encoding a server or a
 * runtime could echo it in, from every error that leaves the exchange; one built from a token
 * ({@link tokenRedactor}) does the same for errors of code that was handed the token.
 *
 * Which values count as secret (values shorter than {@link minSecretLength} or longer than
 * {@link maxSecretLength} never do):
 * - in the request: every value of the body (form or JSON, at any depth) and of the query string,
 *   except the parameters in {@link publicParams}; every header value except `Content-Type` and
 *   `Accept`, plus the credentials of an `Authorization` header (Basic: also the decoded
 *   `id:secret`, the secret, and the secret form-decoded);
 * - in a success answer: every string, at any depth, except fields that describe a token rather
 *   than carry one (`token_type`, `scope`, the error fields, expiry fields), plus the access and
 *   refresh tokens the flow read from it.
 *
 * @module
 */

import type { Token } from '../token.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import { copyRedacted } from './redacted-copy.ts';
import { secretEncodings } from './secret-encodings.ts';

/** What a secret is replaced with. */
export const redactedMarker = '[redacted]';

/**
 * Values shorter than this are never treated as secrets: they would redact ordinary words (`EU`,
 * `yes`), and no credential worth protecting is that short.
 */
export const minSecretLength = 4;

/** Longer values are not tracked: no error text is that long, and none is quoted whole. */
export const maxSecretLength = 16_384;

/** Body and query parameters that name no secret (RFC 6749, 7523, 8693, 8707). */
export const publicParams: ReadonlySet<string> = new Set([
  'grant_type',
  'scope',
  'client_id',
  'redirect_uri',
  'audience',
  'resource',
  'response_type',
  'client_assertion_type',
  'subject_token_type',
  'actor_token_type',
  'requested_token_type',
]);

const publicHeaders: ReadonlySet<string> = new Set(['content-type', 'accept']);

/** Answer fields that describe a token: its type, scope, errors and expiry. */
const publicAnswerField =
  /^(?:token_type|issued_token_type|scope|scopes|error|error_description|error_uri|message)$|expir|until|_in$|_at$/i;

/**
 * Hides secrets from text and errors. Immutable: {@link Redactor.including} returns a new one.
 *
 * @example
 * ```ts
 * const redactor = requestRedactor(request).including(answerSecrets(response.body));
 * throw redactor.error(failure);
 * ```
 */
export interface Redactor {
  /** The text with every secret, in every encoding, replaced by `[redacted]`; clipped to `maxLength`. */
  text(text: string, maxLength?: number): string;
  /**
   * A redacted copy of an error: message, stack, every string field, and `cause` at any depth
   * (runtime errors become redacted copies too). Server text is clipped only after redaction, so
   * a cut can never leave part of a secret behind.
   */
  error(error: unknown): unknown;
  /** A redactor that also hides these values (strings of {@link minSecretLength} or more). */
  including(values: Iterable<unknown>): Redactor;
}

/**
 * A redactor for the secrets a token request carries (see the module documentation for the rule).
 *
 * @example
 * ```ts
 * requestRedactor(request).text('bad secret s3cr3t'); // 'bad secret [redacted]'
 * ```
 */
export function requestRedactor(request: TokenHttpRequest): Redactor {
  return createRedactor(requestSecrets(request));
}

/**
 * A redactor for the secrets a token holds, for errors of code that was handed the token (an
 * `onTokenChange` handler): its access and refresh tokens, and the strings of the answer it came
 * from that may be tokens (see {@link answerSecrets}), such as an `id_token`.
 *
 * @example
 * ```ts
 * tokenRedactor(token).error(new Error(`duplicate key ${token.refreshToken}`)); // '… [redacted]'
 * ```
 */
export function tokenRedactor(token: Token): Redactor {
  return createRedactor([
    token.accessToken,
    token.refreshToken ?? '',
    ...answerSecrets(token.raw, ''),
  ]);
}

/**
 * The strings of a success answer that may be tokens, at any depth. When the answer is no JSON
 * (a truncated body), the `"name": "value"` pairs found in its text.
 *
 * @example
 * ```ts
 * answerSecrets({ access_token: 'at-1234', token_type: 'Bearer' }, ''); // ['at-1234']
 * ```
 */
export function answerSecrets(body: unknown, text: string): string[] {
  const secrets: string[] = [];
  if (body === undefined) {
    for (const [, name = '', value = ''] of text.matchAll(/"([^"]*)"\s*:\s*"([^"]*)/g))
      if (!publicAnswerField.test(name)) secrets.push(value);
  } else {
    collect(body, '', (name) => !publicAnswerField.test(name), secrets);
  }
  return secrets;
}

/**
 * The values of a request that count as secrets (see the module documentation for the rule).
 *
 * @example
 * ```ts
 * requestSecrets({ url, method: 'POST', headers: {}, body: 'client_secret=s3cr3t' }); // ['s3cr3t']
 * ```
 */
export function requestSecrets(request: TokenHttpRequest): string[] {
  const secrets: string[] = [];
  const secretParam = (name: string): boolean => !publicParams.has(name);
  for (const [name, value] of new URL(request.url).searchParams)
    if (secretParam(name)) secrets.push(value);
  const body = request.body ?? '';
  if (body.trim().startsWith('{') || body.trim().startsWith('[')) {
    try {
      collect(JSON.parse(body), '', secretParam, secrets);
    } catch {
      secrets.push(body); // unreadable: the whole body is a secret
    }
  } else {
    for (const [name, value] of new URLSearchParams(body))
      if (secretParam(name)) secrets.push(value);
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (publicHeaders.has(name.toLowerCase())) continue;
    secrets.push(value, ...authorizationSecrets(value));
  }
  return secrets;
}

/** The credentials of an `Authorization`-style value: after the scheme, and Basic decoded. */
function authorizationSecrets(value: string): string[] {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(value);
  if (!match) return [];
  const [, scheme = '', credentials = ''] = match;
  if (scheme.toLowerCase() !== 'basic') return [credentials];
  try {
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(credentials), (c) => c.charCodeAt(0)),
    );
    const secret = decoded.slice(decoded.indexOf(':') + 1);
    return [credentials, decoded, secret, decodeURIComponent(secret.replace(/\+/g, ' '))];
  } catch {
    return [credentials];
  }
}

/** Pushes the strings (and numbers) under names `isSecret` accepts, at any depth. */
function collect(
  value: unknown,
  name: string,
  isSecret: (name: string) => boolean,
  into: string[],
): void {
  if (typeof value === 'string' || typeof value === 'number') {
    if (isSecret(name)) into.push(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, name, isSecret, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) collect(item, key, isSecret, into);
  }
}

function createRedactor(secrets: readonly string[]): Redactor {
  const kept = [...new Set(secrets)].filter(
    (secret) => secret.length >= minSecretLength && secret.length <= maxSecretLength,
  );
  const variants = [...new Set(kept.flatMap(secretEncodings))].sort((a, b) => b.length - a.length);
  const longest = variants[0]?.length ?? 0;
  const pattern =
    variants.length === 0
      ? undefined
      : new RegExp(variants.map((v) => v.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'gi');
  const text = (input: string, maxLength = Number.POSITIVE_INFINITY): string => {
    // Every secret that starts before the cut lies wholly inside this slice, and is redacted whole.
    const source = input.slice(0, maxLength + longest);
    let out = '';
    let end = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(source); match && match.index < maxLength; ) {
        out += source.slice(end, match.index) + redactedMarker;
        end = match.index + match[0].length;
        match = pattern.exec(source);
      }
    }
    out += source.slice(end, Math.max(end, Math.min(source.length, maxLength)));
    return input.length > maxLength ? `${out}…` : out;
  };
  const redactor: Redactor = {
    text,
    error: (error) => copyRedacted(error, text),
    including: (values) =>
      createRedactor([
        ...kept,
        ...[...values].filter((value): value is string => typeof value === 'string'),
      ]),
  };
  return redactor;
}
