/**
 * HTTPS on a loopback port for the mutual TLS tests: listening on 127.0.0.1, closing again with
 * every connection ended, and the certificate the client presented on a request's connection.
 *
 * @module
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Starts `server` on 127.0.0.1, port 0; resolves to its origin.
 *
 * @example
 * ```ts
 * const origin = await listenHttps(https.createServer(tls, handler)); // 'https://127.0.0.1:41234'
 * ```
 */
export async function listenHttps(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Stops `server` and ends its open connections; resolves once the port is free.
 *
 * @example
 * ```ts
 * await closeHttps(server);
 * ```
 */
export function closeHttps(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

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
