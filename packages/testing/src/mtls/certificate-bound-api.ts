/**
 * A protected API that accepts a certificate-bound access token only over a TLS connection that
 * presents the very certificate the token was issued to (RFC 8705 §3): it compares the token's
 * `x5t#S256` with the SHA-256 thumbprint of the connection's client certificate. Where the binding
 * comes from is the caller's choice (the local endpoint's table, or a provider's introspection).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../internal/http.ts';
import { certificateThumbprint } from './test-pki.ts';
import { verifiedPeerCertificate } from './tls-loopback.ts';

/**
 * What a token is bound to, as the API learns it.
 *
 * @example
 * ```ts
 * const lookup: BindingLookup = async (token) => endpoint.bindingOf(token);
 * ```
 */
export type BindingLookup = (
  accessToken: string,
) => Promise<{ readonly clientId: string; readonly thumbprint: string } | undefined>;

/**
 * Why the API refused a call: no bearer token, a token it does not know (or expired), no
 * verified client certificate, or a certificate other than the token's.
 *
 * @example
 * ```ts
 * expect(stats.apiRejected).toEqual(['certificate mismatch']);
 * ```
 */
export type Refusal = 'no token' | 'unknown token' | 'no certificate' | 'certificate mismatch';

/**
 * What the API counts.
 *
 * @example
 * ```ts
 * const stats: BoundApiStats = { apiCalls: 0, apiRejected: [] };
 * ```
 */
export interface BoundApiStats {
  apiCalls: number;
  readonly apiRejected: Refusal[];
}

/**
 * The API's request handler: `/api/<path>` answers 200 `{ path, clientId }` to a bound token on
 * its own certificate's connection, and 401 with a Bearer `invalid_token` challenge otherwise.
 *
 * @example
 * ```ts
 * const api = certificateBoundApi(async (token) => endpoint.bindingOf(token), stats);
 * https.createServer(tls, api);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-3
 */
export function certificateBoundApi(
  lookup: BindingLookup,
  stats: BoundApiStats,
): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, refusal: Refusal) => {
    stats.apiRejected.push(refusal);
    send(
      res,
      401,
      { error: 'invalid_token', error_description: refusal },
      { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${refusal}"` },
    );
  };
  return (req, res) => {
    stats.apiCalls++;
    req.resume();
    const token = bearerToken(req);
    const peer = verifiedPeerCertificate(req);
    if (token === undefined) return refuse(res, 'no token');
    if (peer === undefined) return refuse(res, 'no certificate');
    lookup(token).then(
      (binding) => {
        if (binding === undefined) return refuse(res, 'unknown token');
        if (binding.thumbprint !== certificateThumbprint(peer))
          return refuse(res, 'certificate mismatch');
        const { pathname } = new URL(req.url ?? '/', 'https://api');
        send(res, 200, { path: pathname.replace(/^\/api/, ''), clientId: binding.clientId });
      },
      () => send(res, 502, { error: 'binding_lookup_failed' }),
    );
  };
}
