/**
 * New opaque values (access tokens, refresh tokens, authorization codes): random, or named by
 * the `opaqueToken` option and checked.
 *
 * @module
 */
import type { OpaqueTokenKind, ResolvedOptions } from '../options.ts';
import { randomToken } from './base64url.ts';

const randomPrefixes: Readonly<Record<OpaqueTokenKind, string>> = {
  access_token: 'mock_at_',
  refresh_token: 'mock_rt_',
  code: 'mock_code_',
};

/** RFC 6750 §2.1 b64token: what a `Bearer` header can carry. */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 6749 Appendix A: refresh tokens and codes are 1*VSCHAR. */
const vschars = /^[\x20-\x7E]+$/;

/**
 * A new opaque value of `kind`: `options.opaqueToken(kind)` when set, else a random one. A name
 * that is not a string of the right syntax, or that `taken` says was issued before, is a
 * `TypeError` naming the option.
 *
 * @example
 * ```ts
 * const value = newOpaqueValue(options, 'refresh_token', (name) => refreshTokens.has(name));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-A.17
 */
export function newOpaqueValue(
  options: ResolvedOptions,
  kind: OpaqueTokenKind,
  taken: (value: string) => boolean,
): string {
  if (options.opaqueToken === undefined) return `${randomPrefixes[kind]}${randomToken()}`;
  const value: unknown = options.opaqueToken(kind);
  const syntax = kind === 'access_token' ? b64token : vschars;
  if (typeof value !== 'string' || !syntax.test(value)) {
    const expected = kind === 'access_token' ? 'an RFC 6750 b64token' : 'printable ASCII';
    throw new TypeError(`mockOAuthServer: opaqueToken('${kind}') must return ${expected}`);
  }
  if (taken(value))
    throw new TypeError(
      `mockOAuthServer: opaqueToken('${kind}') returned ${JSON.stringify(value)}, issued before`,
    );
  return value;
}
