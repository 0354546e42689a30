/**
 * Listening on a loopback port and closing again, for the interop and mutual TLS servers: each
 * `node:http` or `node:https` server gets its own port on 127.0.0.1, and closing it ends every
 * open connection.
 *
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

type Server = HttpServer | HttpsServer;

/**
 * Starts `server` on 127.0.0.1, port 0; resolves to its origin (`https:` for an HTTPS server).
 *
 * @example
 * ```ts
 * const origin = await listenOnLoopback(createServer(handler)); // 'http://127.0.0.1:41234'
 * ```
 */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const scheme = server instanceof HttpsServer ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Stops `server` and ends its open connections; resolves once the port is free.
 *
 * @example
 * ```ts
 * await closeLoopback(server);
 * ```
 */
export function closeLoopback(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
