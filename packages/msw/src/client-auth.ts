/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic with form-encoded
 * id and secret, `client_secret_post`, and `none` for public clients.
 *
 * @module
 */
import { failure, quoted, type TokenOutcome } from './internal/responses.ts';
import type { Client } from './options.ts';

/**
 * How a token request authenticated its client, as recorded in `tokenRequests`.
 *
 * @example
 * ```ts
 * expect(oauth.tokenRequests.map((r) => r.clientAuth)).toEqual(['client_secret_basic']);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The outcome of client authentication. */
export type ClientAuthResult =
  | { readonly ok: true; readonly client: Client; readonly method: ClientAuthMethod }
  | {
      readonly ok: false;
      readonly outcome: TokenOutcome;
      readonly clientId: string | undefined;
      readonly method: ClientAuthMethod | undefined;
    };

/**
 * How a token request tries to authenticate its client, judged from its `Authorization` header
 * and body parameters alone (nothing is checked).
 *
 * @example
 * ```ts
 * clientAuthMethod(null, new Map([['client_id', 'app'], ['client_secret', 's']])); // 'client_secret_post'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientAuthMethod(
  authorization: string | null,
  params: ReadonlyMap<string, string>,
): ClientAuthMethod | undefined {
  if (authorization !== null) return 'client_secret_basic';
  if (params.has('client_secret')) return 'client_secret_post';
  return params.has('client_id') ? 'none' : undefined;
}

/** Decodes one half of RFC 6749 §2.3.1 Basic credentials (form-urlencoded), if well formed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The id and secret of an `Authorization: Basic` header, `null` when malformed. */
export function parseBasic(header: string): { id: string; secret: string } | null {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (match === null) return null;
  let decoded: string;
  try {
    const binary = atob(match[1]!);
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? null : { id, secret };
}

/**
 * Authenticates the client of a token request from its `Authorization` header and body
 * parameters. Wrong or missing credentials are `invalid_client` (401, with a `Basic` challenge
 * when Basic was tried); Basic and `client_secret` together are `invalid_request`.
 *
 * @example
 * ```ts
 * const result = authenticateClient(request.headers.get('authorization'), params, clients, issuer);
 * if (!result.ok) return outcomeResponse(clock, result.outcome);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function authenticateClient(
  authorization: string | null,
  params: ReadonlyMap<string, string>,
  clients: ReadonlyMap<string, Client>,
  realm: string,
): ClientAuthResult {
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (authorization !== null) {
    const challenge = { 'WWW-Authenticate': `Basic realm=${quoted(realm)}` };
    const refuse = (id: string | undefined, description: string): ClientAuthResult => ({
      ok: false,
      outcome: failure(401, 'invalid_client', description, challenge),
      clientId: id,
      method: 'client_secret_basic',
    });
    const basic = parseBasic(authorization);
    if (basic === null) return refuse(bodyId, 'Malformed or unsupported Authorization header');
    if (bodySecret !== undefined) {
      const outcome = failure(400, 'invalid_request', 'More than one client authentication method');
      return { ok: false, outcome, clientId: basic.id, method: 'client_secret_basic' };
    }
    if (bodyId !== undefined && bodyId !== basic.id)
      return refuse(basic.id, 'client_id does not match the Basic credentials');
    const client = clients.get(basic.id);
    if (client?.secret === undefined || client.secret !== basic.secret)
      return refuse(basic.id, 'Client authentication failed');
    return { ok: true, client, method: 'client_secret_basic' };
  }
  const refuse = (description: string): ClientAuthResult => ({
    ok: false,
    outcome: failure(401, 'invalid_client', description),
    clientId: bodyId,
    method: clientAuthMethod(null, params),
  });
  if (bodyId === undefined) return refuse('Client authentication is required');
  const method = bodySecret === undefined ? 'none' : 'client_secret_post';
  const client = clients.get(bodyId);
  if (client === undefined) return refuse('Client authentication failed');
  if (client.secret === undefined) {
    return method === 'none'
      ? { ok: true, client, method }
      : refuse('A public client does not authenticate with a secret');
  }
  if (bodySecret !== client.secret)
    return refuse(
      bodySecret === undefined
        ? 'Client authentication is required'
        : 'Client authentication failed',
    );
  return { ok: true, client, method };
}
