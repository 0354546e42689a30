/**
 * The certificate a client presented on a request's TLS connection, for the mutual TLS tests
 * (their servers listen through `interop/loopback-http.ts`).
 *
 * @module
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The certificate the client presented on `req`'s TLS connection, if it presented one that the
 * server's CA verified; `undefined` otherwise.
 *
 * @example
 * ```ts
 * const peer = verifiedPeerCertificate(req);
 * if (peer === undefined) return reject('invalid_client');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-2.1
 */
export function verifiedPeerCertificate(req: IncomingMessage): X509Certificate | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const { raw } = socket.getPeerCertificate();
  return raw === undefined ? undefined : new X509Certificate(raw);
}
