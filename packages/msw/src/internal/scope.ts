import type { Client } from '../options.ts';

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Splits a scope value into scope-tokens (RFC 6749 §3.3); `undefined` when one is not valid. */
export function scopeTokens(scope: string | readonly string[]): string[] | undefined {
  const tokens = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [...scope];
  return tokens.every((token) => typeof token === 'string' && scopeToken.test(token))
    ? [...new Set(tokens)]
    : undefined;
}

/**
 * The scope granted for a request (RFC 6749 §3.3): the requested scope-tokens when `allowed`
 * has them all, the whole `allowed` set when none were requested; `undefined` when refused.
 */
export function grantScope(
  requested: string | readonly string[] | undefined,
  allowed: ReadonlySet<string> | undefined,
): string[] | undefined {
  if (requested === undefined) return allowed === undefined ? [] : [...allowed];
  const tokens = scopeTokens(requested);
  if (tokens === undefined) return undefined;
  return allowed === undefined || tokens.every((token) => allowed.has(token)) ? tokens : undefined;
}

/** {@link grantScope} against what a client is registered for. */
export function clientScope(
  client: Client,
  requested: string | readonly string[] | undefined,
): string[] | undefined {
  return grantScope(requested, client.scope);
}
