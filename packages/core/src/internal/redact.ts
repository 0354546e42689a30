import type { OAuthErrorFields } from '../errors.ts';
import type { TokenHttpRequest } from '../token-http.ts';

/** Body parameters that carry secrets in the token requests tokenwise sends. */
const secretParams = [
  'client_secret',
  'refresh_token',
  'code',
  'code_verifier',
  'password',
  'client_assertion',
  'assertion',
];

/**
 * The secrets a token request carries (client secret, refresh token, code, verifier, Basic
 * credentials), so that a server echoing them in an error description cannot leak them.
 */
export function requestSecrets(request: TokenHttpRequest): string[] {
  const secrets: string[] = [];
  const body = request.body ?? '';
  let params: Record<string, unknown> = {};
  try {
    params = body.trim().startsWith('{')
      ? (JSON.parse(body) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(body));
  } catch {
    // Not a body we can read: nothing to collect from it.
  }
  for (const name of secretParams) {
    const value = params[name];
    if (typeof value === 'string') secrets.push(value);
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    secrets.push(value.replace(/^\S+\s+/, ''));
    if (/^basic\s/i.test(value)) {
      try {
        const [id = '', secret = ''] = atob(value.replace(/^\S+\s+/, '')).split(':');
        secrets.push(secret, decodeURIComponent(secret.replace(/\+/g, ' ')));
        void id;
      } catch {
        // Not Base64: the header value itself is already listed.
      }
    }
  }
  // Very short values would redact ordinary words; nothing that short is a real secret.
  return secrets.filter((secret) => secret.length >= 4);
}

/** Replaces every secret in the server-supplied error fields with `[redacted]`. */
export function redactFields(
  fields: OAuthErrorFields,
  secrets: readonly string[],
): OAuthErrorFields {
  const redact = (text: string | undefined): string | undefined =>
    text === undefined
      ? undefined
      : secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  return {
    error: redact(fields.error),
    errorDescription: redact(fields.errorDescription),
    errorUri: redact(fields.errorUri),
  };
}
